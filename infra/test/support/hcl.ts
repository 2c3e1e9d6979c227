import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

/** Absolute path of the infra/ directory. */
export const INFRA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO = resolve(INFRA, '..');

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Block = Record<string, Json>;
/** `resource`/`data`: type → name → blocks; `variable`/`output`/`module`: name → blocks. */
export interface Module {
  readonly dir: string;
  readonly files: readonly string[];
  readonly variable: Record<string, Block[]>;
  readonly output: Record<string, Block[]>;
  readonly module: Record<string, Block[]>;
  readonly locals: Record<string, Json>;
  readonly resource: Record<string, Record<string, Block[]>>;
  readonly data: Record<string, Record<string, Block[]>>;
}

/** Parses every .tf file of a directory (not recursive) and merges them like Terraform does. */
export async function loadModule(dir: string): Promise<Module> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const merged: Module = {
    dir,
    files,
    variable: {},
    output: {},
    module: {},
    locals: {},
    resource: {},
    data: {},
  };
  for (const file of files) {
    const parsed = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Record<string, unknown>;
    for (const kind of ['variable', 'output', 'module'] as const) {
      Object.assign(merged[kind], (parsed[kind] ?? {}) as Record<string, Block[]>);
    }
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(
        (parsed[kind] ?? {}) as Record<string, Record<string, Block[]>>,
      )) {
        merged[kind][type] = { ...(merged[kind][type] ?? {}), ...byName };
      }
    }
    for (const locals of (parsed.locals ?? []) as Record<string, Json>[])
      Object.assign(merged.locals, locals);
  }
  return merged;
}

export function moduleDirs(): string[] {
  const root = join(INFRA, 'modules');
  return readdirSync(root).map((name) => join(root, name));
}

export function exampleDirs(): string[] {
  const root = join(INFRA, 'examples');
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'main.tf')));
}

/** The single block of a named thing, failing loudly when it is missing or repeated. */
export function only(blocks: Block[] | undefined, what: string): Block {
  if (blocks?.length !== 1 || blocks[0] === undefined) throw new Error(`expected exactly one ${what}`);
  return blocks[0];
}

/** Every string leaf of a parsed value, with the JSON path that leads to it. */
export function strings(value: Json, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [
      ...strings(key, `${path}.<key>`),
      ...strings(item, `${path}.${key}`),
    ]);
  return [];
}

export function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
