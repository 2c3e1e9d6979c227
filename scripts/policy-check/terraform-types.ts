// A small model of Terraform's type constraints, enough to read a variable's value the way
// Terraform does: optional attributes take their default when absent or null, primitive values
// convert (5 ↔ "5", "true" → true), and attributes the type does not declare are dropped.
// Terraform drops those silently; here each one is reported, because an unknown key in a
// runner configuration is almost always a typo whose setting never takes effect.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type TfType =
  | { readonly kind: 'string' | 'number' | 'bool' }
  | { readonly kind: 'list' | 'map'; readonly element: TfType }
  | { readonly kind: 'object'; readonly attributes: readonly TfAttribute[] };

export interface TfAttribute {
  readonly name: string;
  readonly type: TfType;
  readonly optional: boolean;
  /** The default of an optional attribute; undefined means `optional(type)` (null). */
  readonly default?: Json;
}

/** An attribute type, possibly wrapped in `optional(...)`. */
export interface AttributeSpec {
  readonly type: TfType;
  readonly optional?: boolean;
  readonly default?: Json;
}

export const tfString: TfType = { kind: 'string' };
export const tfNumber: TfType = { kind: 'number' };
export const tfBool: TfType = { kind: 'bool' };
export const list = (element: TfType): TfType => ({ kind: 'list', element });
export const map = (element: TfType): TfType => ({ kind: 'map', element });
export const optional = (type: TfType, defaultValue?: Json): AttributeSpec =>
  defaultValue === undefined ? { type, optional: true } : { type, optional: true, default: defaultValue };

/** `object({...})`; attribute order is kept so the type renders like the HCL it mirrors. */
export function object(attributes: Readonly<Record<string, TfType | AttributeSpec>>): TfType {
  return {
    kind: 'object',
    attributes: Object.entries(attributes).map(([name, spec]) =>
      'kind' in spec
        ? { name, type: spec, optional: false }
        : { name, type: spec.type, optional: spec.optional ?? false, default: spec.default },
    ),
  };
}

/** The HCL type expression, e.g. `map(object({labels=list(string),owner=optional(string,"x")}))`. */
export function renderType(type: TfType): string {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return type.kind;
    case 'list':
    case 'map':
      return `${type.kind}(${renderType(type.element)})`;
    case 'object':
      return `object({${type.attributes.map(renderAttribute).join(',')}})`;
  }
}

function renderAttribute(attribute: TfAttribute): string {
  const type = renderType(attribute.type);
  if (!attribute.optional) return `${attribute.name}=${type}`;
  if (attribute.default === undefined) return `${attribute.name}=optional(${type})`;
  return `${attribute.name}=optional(${type},${renderLiteral(attribute.default)})`;
}

function renderLiteral(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(renderLiteral).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${renderLiteral(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `a.b["key"][0]`-style paths, the way Terraform and our messages name a value. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
  if (path === '') return plain ? key : JSON.stringify(key);
  return plain ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'an object';
  return JSON.stringify(value);
}

/**
 * Converts `value` to `type` as Terraform would, appending a `path: reason` line to `problems`
 * for each value Terraform would reject and each undeclared attribute it would drop.
 */
export function convert(value: unknown, type: TfType, path: string, problems: string[]): Json {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      break;
    case 'list':
      if (Array.isArray(value))
        return value.map((item, i) => convert(item, type.element, childPath(path, i), problems));
      break;
    case 'map':
      if (isRecord(value)) {
        return Object.fromEntries(
          Object.entries(value).map(([key, item]) => [
            key,
            convert(item, type.element, childPath(path, key), problems),
          ]),
        );
      }
      break;
    case 'object':
      if (isRecord(value)) return convertObject(value, type.attributes, path, problems);
      break;
  }
  problems.push(`${path}: must be ${article(type)}, got ${describe(value)}`);
  return null;
}

function convertObject(
  value: Record<string, unknown>,
  attributes: readonly TfAttribute[],
  path: string,
  problems: string[],
): Json {
  const known = new Set(attributes.map((attribute) => attribute.name));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      problems.push(
        `${childPath(path, key)}: unknown setting (Terraform would drop it silently); known: ${[...known].join(', ')}`,
      );
    }
  }
  const result: Record<string, Json> = {};
  for (const attribute of attributes) {
    const raw = value[attribute.name];
    const where = childPath(path, attribute.name);
    if (raw === null || raw === undefined) {
      if (!attribute.optional) problems.push(`${where}: required`);
      result[attribute.name] =
        attribute.default === undefined ? null : convert(attribute.default, attribute.type, where, problems);
      continue;
    }
    result[attribute.name] = convert(raw, attribute.type, where, problems);
  }
  return result;
}

function article(type: TfType): string {
  switch (type.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'list':
      return `a list of ${renderType(type.element)}`;
    case 'map':
      return `a map of ${renderType(type.element)}`;
    case 'object':
      return 'an object';
  }
}
