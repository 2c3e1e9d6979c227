// Records how long each of the slowest spec files took in a full jest run, for the sequencer
// (packages/test-support/src/jest/slowest-first-sequencer.mjs) to start them first on a fresh
// clone. Run after `npm test`: node scripts/spec-durations.mjs [.jest-results.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsPath = process.argv[2] ?? `${root}.jest-results.json`;
const report = JSON.parse(readFileSync(resultsPath, 'utf8'));
/** Files under a few seconds start in any order without lengthening the run. */
const KEPT = 40;
const rows = report.testResults
  .map((file) => [relative(root, file.name), Math.round((file.endTime - file.startTime) / 100) / 10])
  .sort((a, b) => b[1] - a[1])
  .slice(0, KEPT);
const target = `${root}packages/test-support/src/jest/spec-durations.json`;
const document = {
  note: 'Seconds per spec file in one full run (4 workers, 2 cores); written by scripts/spec-durations.mjs',
  seconds: Object.fromEntries(rows),
};
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`${rows.length} files recorded in ${relative(root, target)}`);
