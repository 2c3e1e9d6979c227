// Regenerates the reference-input tables of docs/migrating.md from the key tables:
//   node --import tsx scripts/migrate/render-doc.ts
// scripts/test/migrating-doc.spec.ts fails while the doc and the tables differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderKeyTable, type KeyScope } from './reference-keys';

export const DOC = fileURLToPath(new URL('../../docs/migrating.md', import.meta.url));
export const SCOPES: readonly KeyScope[] = ['runner', 'matcher', 'deployment'];

export const begin = (scope: KeyScope) => `<!-- BEGIN GENERATED: reference inputs (${scope}) -->`;
export const end = (scope: KeyScope) => `<!-- END GENERATED: reference inputs (${scope}) -->`;

/** The doc with each generated section replaced by the current table. */
export function renderDoc(doc: string): string {
  return SCOPES.reduce((text, scope) => {
    const from = text.indexOf(begin(scope));
    const to = text.indexOf(end(scope));
    if (from < 0 || to < from) throw new Error(`docs/migrating.md lacks the markers of the ${scope} table`);
    return `${text.slice(0, from + begin(scope).length)}\n${renderKeyTable(scope)}\n${text.slice(to)}`;
  }, doc);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DOC, renderDoc(readFileSync(DOC, 'utf8')));
  console.log(`rewrote the generated tables of ${DOC}`);
}
