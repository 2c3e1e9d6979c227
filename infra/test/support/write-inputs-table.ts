// Regenerates the inputs table of docs/infra.md from multi-runner's variables.tf (the table
// docs.spec.ts compares). Run: node --import tsx infra/test/support/write-inputs-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, REPO, loadModule } from './hcl';
import { BEGIN, END, renderInputs } from './reference';

const path = join(REPO, 'docs', 'infra.md');
const doc = readFileSync(path, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < 0) throw new Error(`${path} has no generated inputs table markers`);
const table = renderInputs(await loadModule(join(INFRA, 'modules', 'multi-runner')));
writeFileSync(path, doc.slice(0, start) + table + doc.slice(end + END.length));
console.log(`wrote the inputs table of ${path}`);
