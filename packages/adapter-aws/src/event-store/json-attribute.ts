import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * JSON-native values ⇄ DynamoDB attribute values. Event payloads, metadata, heads' views
 * and snapshots are JSON-native by rule (see STYLE.md), so this small mapping is all the
 * store needs: objects become maps (readable in the console, unlike a JSON string), and
 * `undefined` members are dropped the way `JSON.stringify` drops them.
 *
 * Anything that is not JSON (a Date, a Map, a bigint, NaN) is a bug in the caller and
 * throws a TypeError naming the path, before anything is written.
 */
export function toAttribute(value: unknown, path = '$'): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot hold`);
      return { N: String(value) };
    case 'object':
      if (Array.isArray(value))
        return { L: value.map((item, i) => toAttribute(item === undefined ? null : item, `${path}[${i}]`)) };
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
        throw new TypeError(`${path} is a ${value.constructor.name}, not a plain JSON object`);
      return { M: toAttributeMap(value as Record<string, unknown>, path) };
    default:
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot hold`);
  }
}

/** The members of a plain object as an attribute map, without its `undefined` members. */
export function toAttributeMap(
  value: Readonly<Record<string, unknown>>,
  path = '$',
): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) map[key] = toAttribute(member, `${path}.${key}`);
  }
  return map;
}

/** The JSON value an attribute holds. Sets and binaries never come from this store. */
export function fromAttribute(attribute: AttributeValue): unknown {
  if (attribute.NULL) return null;
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) return fromAttributeMap(attribute.M);
  throw new TypeError(`Unsupported DynamoDB attribute type: ${Object.keys(attribute).join(', ')}`);
}

export function fromAttributeMap(map: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(map)) value[key] = fromAttribute(member);
  return value;
}
