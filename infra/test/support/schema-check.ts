import type { Block, Json, Module } from './hcl';
import { isObject, strings } from './hcl';
import type { BlockSchema, ProviderSchema } from './provider-schema';

/** The schemas a module is checked against, by provider local name (type prefix). */
export type Schemas = Readonly<Record<string, ProviderSchema>>;

/** Meta-arguments Terraform itself handles in a resource or data block. */
const META = new Set([
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);

/**
 * Terraform's built-in provider (terraform.io/builtin/terraform, no download): the module's
 * terraform_data carries plan-time checks between inputs. Its schema, per the Terraform docs.
 */
const BUILTIN: ProviderSchema = {
  provider: 'terraform',
  version: 'builtin',
  resources: {
    terraform_data: {
      arguments: ['input', 'triggers_replace'],
      argumentTypes: { input: 'any', triggers_replace: 'any' },
      attributes: ['id', 'input', 'output', 'triggers_replace'],
      blocks: {},
    },
  },
  dataSources: {},
};

function providerOf(type: string, schemas: Schemas): ProviderSchema | undefined {
  const prefix = type.split('_')[0] ?? '';
  return prefix === 'terraform' ? BUILTIN : schemas[prefix];
}

function blocksIn(value: Json | undefined): Block[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Arguments and blocks of one body that the schema does not have, recursing into nested blocks. */
function bodyProblems(where: string, body: Block, schema: BlockSchema, top: boolean): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    if (key === 'dynamic' && isObject(value)) {
      for (const [name, generators] of Object.entries(value)) {
        const nested = schema.blocks[name];
        if (nested === undefined) problems.push(`${where}: dynamic "${name}" is not a block of this type`);
        else
          for (const generator of blocksIn(generators))
            for (const content of blocksIn(generator.content))
              problems.push(...bodyProblems(`${where}.${name}`, content, nested, false));
      }
      continue;
    }
    const nested = schema.blocks[key];
    if (nested !== undefined) {
      for (const item of blocksIn(value))
        problems.push(...bodyProblems(`${where}.${key}`, item, nested, false));
    } else if (!schema.arguments.includes(key)) problems.push(`${where}: unknown argument ${key}`);
  }
  return problems;
}

/** Every resource and data block: its type exists, and every argument and block it sets. */
export function blockProblems(mod: Module, schemas: Schemas): string[] {
  const problems: string[] = [];
  for (const [kind, byType] of [
    ['resource', mod.resource],
    ['data', mod.data],
  ] as const) {
    for (const [type, byName] of Object.entries(byType)) {
      const provider = providerOf(type, schemas);
      const schema = kind === 'resource' ? provider?.resources[type] : provider?.dataSources[type];
      const prefix = kind === 'data' ? 'data.' : '';
      if (schema === undefined) {
        problems.push(`${prefix}${type}: no such ${kind === 'data' ? 'data source' : 'resource type'}`);
        continue;
      }
      for (const [name, bodies] of Object.entries(byName))
        for (const body of bodies)
          problems.push(...bodyProblems(`${prefix}${type}.${name}`, body, schema, true));
    }
  }
  return problems;
}

/** `snake_case` → the generated getter's `camelCase` (the CDKTF naming rule). */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const ATTRIBUTE_REFERENCE =
  /(?<![\w.])(data\.)?((?:aws|random)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])*)\.([a-z_][a-z0-9_]*)/g;

export interface AttributeUse {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly attribute: string;
  readonly at: string;
}

/** Every `<type>.<name>[...].<attribute>` and `data.<type>.<name>[...].<attribute>` in expressions. */
export function attributeUses(mod: Module): AttributeUse[] {
  const everything = { ...mod, dir: '', files: [] } as unknown as Json;
  const uses: AttributeUse[] = [];
  for (const { path, text } of strings(everything)) {
    if (!text.includes('${')) continue;
    for (const match of text.matchAll(ATTRIBUTE_REFERENCE))
      uses.push({
        kind: match[1] === undefined ? 'resource' : 'data',
        type: match[2] ?? '',
        attribute: match[5] ?? '',
        at: path,
      });
  }
  return uses;
}

/** References to attributes the referenced type does not export. */
export function referenceProblems(mod: Module, schemas: Schemas): string[] {
  const problems = new Set<string>();
  for (const use of attributeUses(mod)) {
    const provider = providerOf(use.type, schemas);
    const schema = use.kind === 'resource' ? provider?.resources[use.type] : provider?.dataSources[use.type];
    if (schema === undefined) continue; // reported by blockProblems (or a dangling reference)
    const known =
      schema.attributes.includes(camel(use.attribute)) || schema.arguments.includes(use.attribute);
    const prefix = use.kind === 'data' ? 'data.' : '';
    if (!known) problems.add(`${prefix}${use.type} has no attribute ${use.attribute} (at ${use.at})`);
  }
  return [...problems].sort();
}
