import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isObject, only, strings, type Module } from './hcl';

/** The expression parts of a parsed string: what is inside `${...}`, escaped `$${` removed. */
export function expressions(text: string): string {
  return text.replace(/\$\$\{[^}]*\}/g, '').replace(/%\{[^}]*\}/g, '');
}

const REFERENCE =
  /(?<![\w.])(var|local|module)\.([A-Za-z_][\w-]*)|(?<![\w.])data\.([a-z0-9_]+)\.([A-Za-z_][\w-]*)|(?<![\w.])((?:aws|random)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** References that name no variable, local, module, resource or data source of the module. */
export function danglingReferences(mod: Module): string[] {
  const declared = new Set<string>([
    ...Object.keys(mod.variable).map((n) => `var.${n}`),
    ...Object.keys(mod.locals).map((n) => `local.${n}`),
    ...Object.keys(mod.module).map((n) => `module.${n}`),
    ...Object.entries(mod.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `${type}.${n}`),
    ),
    ...Object.entries(mod.data).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `data.${type}.${n}`),
    ),
  ]);
  const everything = { ...mod, dir: '', files: [] } as unknown as Parameters<typeof strings>[0];
  const dangling = new Set<string>();
  for (const { path, text } of strings(everything)) {
    if (!text.includes('${')) continue;
    for (const match of expressions(text).matchAll(REFERENCE)) {
      const name =
        match[1] !== undefined
          ? `${match[1]}.${match[2]}`
          : match[3] !== undefined
            ? `data.${match[3]}.${match[4]}`
            : `${match[5]}.${match[6]}`;
      if (!declared.has(name)) dangling.add(`${name} (at ${path})`);
    }
  }
  return [...dangling].sort();
}

/** Module calls whose source is missing, or that pass unknown inputs or miss required ones. */
export async function moduleCallProblems(
  mod: Module,
  load: (dir: string) => Promise<Module>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, blocks] of Object.entries(mod.module)) {
    const call = only(blocks, `module ${name}`);
    const source = resolve(mod.dir, String(call.source));
    if (!existsSync(source) || !readdirSync(source).some((f) => f.endsWith('.tf'))) {
      problems.push(`module.${name}: source ${String(call.source)} has no .tf files`);
      continue;
    }
    const target = await load(source);
    const meta = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);
    for (const input of Object.keys(call))
      if (!meta.has(input) && target.variable[input] === undefined)
        problems.push(`module.${name}: unknown input ${input}`);
    for (const [variable, vblocks] of Object.entries(target.variable)) {
      const block = vblocks[0];
      if (block !== undefined && !('default' in block) && !(variable in call))
        problems.push(`module.${name}: required input ${variable} not set`);
    }
  }
  return problems;
}

/** Files a module reads with file()/templatefile() that do not exist. */
export function missingFiles(mod: Module): string[] {
  const missing: string[] = [];
  const everything = { locals: mod.locals, resource: mod.resource, module: mod.module, data: mod.data };
  for (const { text } of strings(everything as never)) {
    for (const match of text.matchAll(/(?:templatefile|file)\("\$\{path\.module\}\/([^"]+)"/g)) {
      const relative = match[1] ?? '';
      if (!existsSync(join(mod.dir, relative))) missing.push(relative);
    }
  }
  return missing;
}

export function isModule(value: unknown): value is Module {
  return isObject(value as never);
}
