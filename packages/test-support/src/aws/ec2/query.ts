/**
 * EC2 Query protocol bodies (`Action=CreateFleet&LaunchTemplateConfigs.1.Overrides.2.SubnetId=…`)
 * as plain JSON: dotted keys become nested objects, numbered segments become arrays (1-based
 * in the wire format, 0-based here).
 */
export type QueryValue = string | QueryValue[] | { readonly [key: string]: QueryValue };
export type QueryObject = { readonly [key: string]: QueryValue };

interface Node {
  value?: string;
  readonly children: Map<string, Node>;
}

export function parseQuery(body: string): QueryObject {
  const root: Node = { children: new Map() };
  for (const [key, value] of new URLSearchParams(body)) {
    let node = root;
    for (const segment of key.split('.')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  const plain = toPlain(root);
  return typeof plain === 'object' && !Array.isArray(plain) ? plain : {};
}

function toPlain(node: Node): QueryValue {
  if (node.children.size === 0) return node.value ?? '';
  const keys = [...node.children.keys()];
  if (keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map((k) => [Number(k), node.children.get(k)] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, child]) => toPlain(child as Node));
  }
  const out: Record<string, QueryValue> = {};
  for (const [key, child] of node.children) out[key] = toPlain(child);
  return out;
}

/** `value[key]` when it is a string. */
export function str(value: QueryValue | undefined, key: string): string | undefined {
  const v = obj(value)[key];
  return typeof v === 'string' ? v : undefined;
}

/** `value[key]` as an object ({} when absent or not an object). */
export function sub(value: QueryValue | undefined, key: string): QueryObject {
  return obj(obj(value)[key]);
}

/** `value[key]` as a list ([] when absent). */
export function list(value: QueryValue | undefined, key: string): QueryValue[] {
  const v = obj(value)[key];
  return Array.isArray(v) ? v : [];
}

/** `value[key]` as a list of strings. */
export function strList(value: QueryValue | undefined, key: string): string[] {
  return list(value, key).filter((v): v is string => typeof v === 'string');
}

function obj(value: QueryValue | undefined): QueryObject {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
