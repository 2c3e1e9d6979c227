import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, REPO } from './hcl';

/**
 * The Terraform schema of one provider version, as far as a module needs it: per resource and
 * data source type, the arguments and nested blocks it accepts and the attributes it exports.
 *
 * Read from the jsii assembly (`.jsii`) of a prebuilt CDK for Terraform provider package, which
 * the CDKTF/CDK Terrain generator writes from `terraform providers schema -json`: every
 * resource class links its registry page (`docs/resources/<name>`), every config property links
 * its argument (`#<snake_name>`), nested blocks are struct types, and exported attributes are
 * the class's getters. That is the provider's published schema, offline.
 */
export interface BlockSchema {
  /** Arguments (snake_case) that may be set in HCL, nested blocks excluded. */
  readonly arguments: readonly string[];
  /** Each argument's value type: `string`, `number`, `bool`, `list(string)`, `map(string)`… (`any` if unknown). */
  readonly argumentTypes: Readonly<Record<string, string>>;
  /** Attributes that may be referenced (camelCase getters of the generated class). */
  readonly attributes: readonly string[];
  /** Nested blocks (and object-typed arguments) by snake_case name. */
  readonly blocks: Readonly<Record<string, BlockSchema>>;
}

export interface ProviderSchema {
  /** `aws`, `random`. */
  readonly provider: string;
  /** The provider version the package was generated from (package.json `cdktf.provider`). */
  readonly version: string;
  readonly resources: Readonly<Record<string, BlockSchema>>;
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}

interface TypeRef {
  readonly fqn?: string;
  readonly primitive?: string;
  readonly collection?: { readonly elementtype: TypeRef; readonly kind?: string };
  readonly union?: { readonly types: readonly TypeRef[] };
}
interface JsiiProperty {
  readonly name: string;
  readonly type: TypeRef;
  readonly static?: boolean;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
interface JsiiType {
  readonly fqn: string;
  readonly kind: string;
  readonly datatype?: boolean;
  readonly docs?: { readonly summary?: string };
  readonly properties?: readonly JsiiProperty[];
}

// Two link styles: registry.terraform.io/providers/<ns>/<p>/<v>/docs/resources|data-sources/<n>
// (current generators) and www.terraform.io/docs/providers/<p>/r|d/<n> (older ones, e.g. random 3.5).
const REPRESENTS =
  /\{@link https:\/\/[\w.]+\/(?:providers\/[\w-]+\/[\w-]+\/[\d.]+\/docs|docs\/providers\/[\w-]+)\/(resources|data-sources|r|d)\/\w+ ([a-z0-9_]+)\}/;
const ANCHOR = /\/(?:resources|data-sources|r|d)\/\w+#([a-z0-9_]+)/;

/** The struct (nested block) a property's type names, if any: `X`, `X[]` or `IResolvable | X[]`. */
function structOf(ref: TypeRef, types: Readonly<Record<string, JsiiType>>): JsiiType | undefined {
  if (ref.fqn !== undefined) {
    const type = types[ref.fqn];
    return type?.datatype === true ? type : undefined;
  }
  if (ref.collection !== undefined) return structOf(ref.collection.elementtype, types);
  for (const member of ref.union?.types ?? []) {
    const struct = structOf(member, types);
    if (struct !== undefined) return struct;
  }
  return undefined;
}

/** The Terraform type of a non-block property: primitives, lists and maps of them, `any` else. */
function valueType(ref: TypeRef): string {
  if (ref.primitive !== undefined)
    return (
      ({ string: 'string', number: 'number', boolean: 'bool' } as Record<string, string>)[ref.primitive] ??
      'any'
    );
  if (ref.collection !== undefined) {
    const kind = ref.collection.kind === 'map' ? 'map' : 'list';
    return `${kind}(${valueType(ref.collection.elementtype)})`;
  }
  // `boolean | IResolvable`, `number | IResolvable`…: the primitive member is the value's type.
  const primitives = (ref.union?.types ?? []).map(valueType).filter((t) => t !== 'any');
  return primitives.length === 1 ? (primitives[0] ?? 'any') : 'any';
}

function snakeName(property: JsiiProperty): string {
  const docs = `${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`;
  return ANCHOR.exec(docs)?.[1] ?? property.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function blockOf(
  struct: JsiiType,
  types: Readonly<Record<string, JsiiType>>,
  attributes: readonly string[],
  depth = 0,
): BlockSchema {
  const args: string[] = [];
  const argumentTypes: Record<string, string> = {};
  const blocks: Record<string, BlockSchema> = {};
  for (const property of struct.properties ?? []) {
    const nested = depth < 12 ? structOf(property.type, types) : undefined;
    if (nested === undefined) {
      args.push(snakeName(property));
      argumentTypes[snakeName(property)] = valueType(property.type);
    } else blocks[snakeName(property)] = blockOf(nested, types, [], depth + 1);
  }
  return { arguments: args.sort(), argumentTypes, attributes, blocks };
}

function extract(assemblyPath: string, provider: string, version: string): ProviderSchema {
  const assembly = JSON.parse(readFileSync(assemblyPath, 'utf8')) as { types: Record<string, JsiiType> };
  const { types } = assembly;
  const resources: Record<string, BlockSchema> = {};
  const dataSources: Record<string, BlockSchema> = {};
  for (const type of Object.values(types)) {
    if (type.kind !== 'class') continue;
    const match = REPRESENTS.exec(type.docs?.summary ?? '');
    const config = types[`${type.fqn}Config`];
    if (match === null || config === undefined) continue;
    const attributes = (type.properties ?? [])
      .filter((p) => p.static !== true && !p.name.endsWith('Input'))
      .map((p) => p.name)
      .sort();
    const target = match[1] === 'resources' || match[1] === 'r' ? resources : dataSources;
    target[match[2] ?? ''] = blockOf(config, types, attributes);
  }
  return { provider, version, resources, dataSources };
}

/** The packages that carry each schema, as installed in infra/package.json (aliases). */
export const SCHEMA_PACKAGES = {
  awsFloor: 'aws-schema-floor',
  awsCeiling: 'aws-schema-ceiling',
  randomFloor: 'random-schema-floor',
  randomCeiling: 'random-schema-ceiling',
} as const;
export type SchemaPackage = (typeof SCHEMA_PACKAGES)[keyof typeof SCHEMA_PACKAGES];

/** The provider version a schema package was generated from, without reading the assembly. */
export function packageProvider(pkg: SchemaPackage): {
  provider: string;
  version: string;
  packageVersion: string;
} {
  const manifest = JSON.parse(readFileSync(join(INFRA, 'node_modules', pkg, 'package.json'), 'utf8')) as {
    version: string;
    cdktf: { provider: { name: string; version: string } };
  };
  return {
    provider: manifest.cdktf.provider.name.split('/').pop() ?? '',
    version: manifest.cdktf.provider.version,
    packageVersion: manifest.version,
  };
}

const memo = new Map<SchemaPackage, ProviderSchema>();
/** Bumped when `extract` changes, so a cached index from an older extractor is not reused. */
const EXTRACTOR_VERSION = 3;

/**
 * The schema of one package. The assemblies are 110–150 MB of JSON (about 1.5 s and 450 MB of
 * heap each to parse), so the extracted index (a few MB) is cached on disk under
 * node_modules/.cache, keyed by package, versions and extractor version, and kept
 * in memory for the rest of the jest worker.
 */
export function loadProviderSchema(pkg: SchemaPackage): ProviderSchema {
  const known = memo.get(pkg);
  if (known !== undefined) return known;
  const { provider, version, packageVersion } = packageProvider(pkg);
  const assemblyPath = join(INFRA, 'node_modules', pkg, '.jsii');
  const key = createHash('sha256')
    .update(`${EXTRACTOR_VERSION}:${pkg}:${packageVersion}:${provider}:${version}`)
    .digest('hex')
    .slice(0, 16);
  const cacheDir = join(REPO, 'node_modules', '.cache', 'hangar-provider-schema');
  const cached = join(cacheDir, `${pkg}-${version}-${key}.json`);
  let schema: ProviderSchema;
  if (existsSync(cached)) schema = JSON.parse(readFileSync(cached, 'utf8')) as ProviderSchema;
  else {
    schema = extract(assemblyPath, provider, version);
    mkdirSync(cacheDir, { recursive: true });
    // Two jest workers may extract at once: write aside, then rename (atomic on one filesystem).
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(schema));
    renameSync(partial, cached);
  }
  memo.set(pkg, schema);
  return schema;
}
