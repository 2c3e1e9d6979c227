import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The slice of an OpenAPI 3.0 document this module reads. */
interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  readonly components: {
    readonly schemas: Record<string, unknown>;
    readonly responses: Record<string, OpenApiResponse>;
  };
}
interface OpenApiOperation {
  readonly operationId: string;
  readonly responses: Record<string, OpenApiResponse | { readonly $ref: string }>;
}
interface OpenApiResponse {
  readonly content?: Record<string, { readonly schema?: unknown }>;
}

/** One documented operation: its statuses and, per status, a validator of the JSON body. */
export interface DocumentedOperation {
  readonly operationId: string;
  readonly method: string;
  /** The description's template, e.g. `/orgs/{org}/actions/runners/{runner_id}`. */
  readonly template: string;
  /** Documented response statuses (`'200'`, `'404'`, …). */
  readonly statuses: readonly string[];
  /**
   * Problems of `body` against the schema documented for `status` (empty when it conforms);
   * undefined when the status is not documented for this operation.
   */
  problems(status: number, body: unknown): string[] | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SCHEMA_REF = /^#\/components\/schemas\//;

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema (`anyOf` with `null`), and component refs as
 * refs into one schema resource registered with Ajv, so each response schema compiles alone.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? value.replace(SCHEMA_REF, 'github#/definitions/')
        : toJsonSchema(value);
  }
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** Path template → regex over concrete paths (`{param}` is one segment). */
const templateRegex = (template: string): RegExp =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i');

/** Templates compared without parameter names: `/orgs/{org}` and `/orgs/{owner}` are the same route. */
export const sameTemplate = (a: string, b: string): boolean =>
  a.replace(/\{[^}]+\}/g, '{}').toLowerCase() === b.replace(/\{[^}]+\}/g, '{}').toLowerCase();

/** GitHub's REST description (api.github.com) from `@octokit/openapi`, ready to validate answers. */
export class GitHubDescription {
  private readonly ajv: Ajv;
  private readonly operations: (DocumentedOperation & { readonly regex: RegExp })[] = [];

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
    const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
      ajv: Ajv,
    ) => void;
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'github', definitions: toJsonSchema(doc.components.schemas) });
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method] as OpenApiOperation | undefined;
        if (op) this.operations.push(this.documented(method.toUpperCase(), template, op));
      }
    }
  }

  /** The operation GitHub documents for a method and a concrete path or a template. */
  find(method: string, pathOrTemplate: string): DocumentedOperation | undefined {
    const upper = method.toUpperCase();
    return this.operations.find(
      (o) => o.method === upper && (sameTemplate(o.template, pathOrTemplate) || o.regex.test(pathOrTemplate)),
    );
  }

  /** Problems of `body` against a component schema (e.g. `basic-error`); empty when it conforms. */
  schemaProblems(component: string, body: unknown): string[] {
    const validate = this.ajv.getSchema(`github#/definitions/${component}`);
    if (!validate) throw new Error(`GitHub's description has no schema ${component}`);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`.trim());
  }

  /** The schema a documented status's JSON body has (components/responses refs resolved). */
  private bodySchema(response: OpenApiResponse | { readonly $ref: string }): unknown {
    const resolved =
      '$ref' in response
        ? this.doc.components.responses[response.$ref.replace('#/components/responses/', '')]
        : response;
    return resolved?.content?.['application/json']?.schema;
  }

  private documented(method: string, template: string, op: OpenApiOperation) {
    const validators = new Map<string, ValidateFunction | null>();
    const validatorFor = (status: string): ValidateFunction | null => {
      let v = validators.get(status);
      if (v === undefined) {
        const schema = this.bodySchema(op.responses[status] as OpenApiResponse);
        v = schema === undefined ? null : this.ajv.compile(toJsonSchema(schema) as object);
        validators.set(status, v);
      }
      return v;
    };
    return {
      operationId: op.operationId,
      method,
      template,
      regex: templateRegex(template),
      statuses: Object.keys(op.responses),
      problems: (status: number, body: unknown): string[] | undefined => {
        const key = String(status);
        if (!(key in op.responses)) return undefined;
        const validate = validatorFor(key);
        if (validate === null)
          return body === undefined || body === '' ? [] : ['a body where none is documented'];
        if (validate(body)) return [];
        return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`.trim());
      },
    };
  }
}

let loaded: GitHubDescription | undefined;

/**
 * The api.github.com description, parsed once per process (13 MB of JSON). Read from the
 * package's generated file directly: its index requires every variant (~500 MB).
 */
export function githubDescription(): GitHubDescription {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    const doc = JSON.parse(
      readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8'),
    ) as OpenApiDocument;
    loaded = new GitHubDescription(doc);
  }
  return loaded;
}
