import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA } from './hcl';

export const BOOTSTRAP = join(INFRA, 'bootstrap');

/** Template placeholders: `${name}`, not the escaped `$${...}` that stays literal. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<!\$)\$\{([a-z_]+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** What templatefile() produces: placeholders replaced, `$${` unescaped. */
export function render(text: string, values: Readonly<Record<string, string>>): string {
  return text
    .replace(/(?<!\$)\$\{([a-z_]+)\}/g, (_m, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for template variable ${name}`);
      return value;
    })
    .replace(/\$\$\{/g, '${');
}

/** A boot script of infra/bootstrap rendered with `values`. */
export function renderBootstrap(file: string, values: Readonly<Record<string, string>>): string {
  return render(readFileSync(join(BOOTSTRAP, file), 'utf8'), values);
}
