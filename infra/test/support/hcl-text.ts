import type { Json } from './hcl';

/** The expression inside a whole-string `${...}`, or the text as it is. */
export const unwrap = (value: unknown): string => String(value).replace(/^\$\{([\s\S]*)\}$/, '$1');

/**
 * A value as hcl2json parsed it, back as an HCL expression: `${expr}` is the expression, any
 * other string a template (JSON string syntax is valid HCL), objects and lists element-wise.
 */
export function toHcl(value: Json): string {
  if (typeof value === 'string') return /^\$\{[\s\S]*\}$/.test(value) ? unwrap(value) : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toHcl).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{\n${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)} = ${toHcl(item)}`)
      .join('\n')}\n}`;
  return JSON.stringify(value);
}
