import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { isObject, type Json } from './hcl';

/** The `version` constraint each provider has in a directory's versions.tf. */
export async function providerConstraints(dir: string): Promise<Record<string, string>> {
  const parsed = (await parse('versions.tf', readFileSync(join(dir, 'versions.tf'), 'utf8'))) as {
    terraform?: { required_providers?: Record<string, Json>[] }[];
  };
  const result: Record<string, string> = {};
  for (const block of parsed.terraform ?? [])
    for (const providers of block.required_providers ?? [])
      for (const [name, spec] of Object.entries(providers))
        if (isObject(spec) && typeof spec.version === 'string') result[name] = spec.version;
  return result;
}

/**
 * `>= F, < C` → the lowest allowed version F and the first excluded one C. Only this form is
 * accepted: the schema checks must know both ends of the range.
 */
export function bounds(constraint: string): { floor: string; below: string } | undefined {
  const match = /^>=\s*(\d+\.\d+\.\d+),\s*<\s*(\d+\.\d+\.\d+)$/.exec(constraint.trim());
  return match === null ? undefined : { floor: match[1] ?? '', below: match[2] ?? '' };
}

/** The first minor version after `version`: 6.66.0 → 6.67.0. */
export function nextMinor(version: string): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return `${major}.${minor + 1}.0`;
}
