import type { Block, Json, Module } from './hcl';
import type { BlockSchema, ProviderSchema } from './provider-schema';

/**
 * One module input and the resource argument it must reach: `path` walks nested blocks (plain
 * or `dynamic`) down to the argument; `uses` is what the argument's expression must contain.
 */
export interface Wire {
  /** `var.<name>`, or `runner_configs.<attr>[.<attr>]` for an attribute of one configuration. */
  readonly input: string;
  /** The input's Terraform type as declared (an attribute's type without `optional(...)`). */
  readonly type: string;
  /** `<resource type>.<name>`. */
  readonly resource: string;
  readonly path: readonly string[];
  readonly uses: string;
}

const unwrap = (text: string) => text.replace(/^\$\{([\s\S]*)\}$/, '$1');

/** The nested block `name` of a block: its first plain instance or the content of `dynamic`. */
function childBlock(block: Block, name: string): Block | undefined {
  const plain = block[name];
  if (Array.isArray(plain) && plain[0] !== null && typeof plain[0] === 'object' && !Array.isArray(plain[0]))
    return plain[0] as Block;
  const dynamic = (block.dynamic as Record<string, { content?: Block[] }[]> | undefined)?.[name]?.[0];
  return dynamic?.content?.[0];
}

/** The expression text at `path` of a resource block, or undefined when it is not set. */
export function expressionAt(block: Block, path: readonly string[]): string | undefined {
  let current: Block | undefined = block;
  for (const name of path.slice(0, -1)) current = current ? childBlock(current, name) : undefined;
  const value: Json | undefined = current?.[path.at(-1) ?? ''];
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

/** The schema type of the argument at `path` of a resource type. */
export function schemaTypeAt(schema: ProviderSchema, resourceType: string, path: readonly string[]): string {
  let block: BlockSchema | undefined = schema.resources[resourceType];
  for (const name of path.slice(0, -1)) block = block?.blocks[name];
  return block?.argumentTypes[path.at(-1) ?? ''] ?? 'missing';
}

/**
 * Does a value of the input's type fit the argument? Equal types do; Terraform converts bool
 * and number to string (the provider keeps several launch-template flags as strings); a
 * map(T)/list(T) input fits an argument of type T when the wire picks one element.
 */
export function fits(input: string, argument: string): boolean {
  if (input === argument) return true;
  if (argument === 'string' && (input === 'bool' || input === 'number')) return true;
  const element = /^(?:map|list)\((.*)\)$/.exec(input)?.[1];
  return element !== undefined && fits(element, argument);
}

/** The declared type of an input: a variable's `type`, or a runner_configs attribute's. */
export function declaredType(module: Module, input: string): string {
  const [head, ...attributes] = input.split('.');
  if (head === 'var') return unwrap(String(module.variable[attributes[0] ?? '']?.[0]?.type ?? ''));
  let text = unwrap(String(module.variable.runner_configs?.[0]?.type ?? ''));
  for (const attribute of attributes) text = attributeType(text, attribute);
  return text;
}

/** The type of `name` inside an object type expression, without `optional(` and its default. */
function attributeType(objectType: string, name: string): string {
  const start = new RegExp(`(?:^|[\\s{,(])${name}\\s*=\\s*`).exec(objectType);
  if (!start) return 'missing';
  let depth = 0;
  let end = start.index + start[0].length;
  for (; end < objectType.length; end += 1) {
    const c = objectType[end];
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) break;
      depth -= 1;
    } else if ((c === ',' || c === '\n') && depth === 0) break;
  }
  const expression = objectType.slice(start.index + start[0].length, end).trim();
  const optional = /^optional\(([\s\S]*)\)$/.exec(expression)?.[1];
  if (optional === undefined) return expression;
  // optional(TYPE) or optional(TYPE, DEFAULT): the type is the first top-level argument.
  let level = 0;
  for (let i = 0; i < optional.length; i += 1) {
    const c = optional[i];
    if (c === '(' || c === '{' || c === '[') level += 1;
    else if (c === ')' || c === '}' || c === ']') level -= 1;
    else if (c === ',' && level === 0) return optional.slice(0, i).trim();
  }
  return optional.trim();
}

/** The innermost element type when the input reaches an element (`list(object({...}))` → object). */
export function elementOf(type: string): string {
  return /^(?:list|map|set)\(([\s\S]*)\)$/.exec(type)?.[1] ?? type;
}
