// Writes JSON values as HCL the way `terraform fmt` leaves them (a spec runs fmt on the output
// and expects no change): two-space indents, `=` aligned over consecutive one-line attributes,
// one item per line in lists of objects.
import type { Json } from '../policy-check/terraform-types';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A quoted HCL string: `${` and `%{` would start a template, so they are escaped. */
export function hclString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}

const isScalar = (value: Json) => value === null || typeof value !== 'object';

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : hclString(name);
}

/** Lines of `name = value`, aligned like terraform fmt; `pad` is the indent of the lines. */
function attributes(entries: readonly [string, Json][], pad: string): string[] {
  const lines: string[] = [];
  let group: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...group.map(([name]) => name.length));
    for (const [name, value] of group) lines.push(`${pad}${name.padEnd(width)} = ${value}`);
    group = [];
  };
  for (const [name, value] of entries) {
    const rendered = hclValue(value, pad);
    if (rendered.includes('\n')) {
      flush();
      lines.push(`${pad}${key(name)} = ${rendered}`);
    } else group.push([key(name), rendered]);
  }
  flush();
  return lines;
}

/** One HCL value; nested lines are indented two spaces past `pad`. */
export function hclValue(value: Json, pad = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value !== 'object') return String(value);
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return `[${value.map((item) => hclValue(item)).join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${hclValue(item, inner)},`).join('\n')}\n${pad}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${attributes(entries, inner).join('\n')}\n${pad}}`;
}

/** A body of module arguments (or a .tfvars file): `name = value` lines, aligned. */
export function hclBody(inputs: Readonly<Record<string, Json>>): string {
  return `${attributes(Object.entries(inputs), '').join('\n')}\n`;
}
