// DynamoDB calls per job in a demo report, by handler × operation × what the call touched
// (issue 14, target 2). Reads the report `npm run demo -- --report <file>` wrote; give two to
// compare (before, after).
//   pnpm tsx bench/demo/dynamodb-breakdown.ts /tmp/dd-before.json [/tmp/dd-after.json]
import { readFileSync } from 'node:fs';

interface Report {
  readonly jobsQueued: number;
  readonly invocationsTimedOut?: number;
  readonly dynamoDbByHandler?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const files = process.argv.slice(2);
if (files.length === 0 || files.length > 2) {
  process.stderr.write('usage: dynamodb-breakdown.ts <report.json> [<report-after.json>]\n');
  process.exit(2);
}
const reports = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Report);

/** Calls per job for every `handler Operation target` row of one report. */
function perJob(report: Report): Map<string, number> {
  const rows = new Map<string, number>();
  for (const [handler, counts] of Object.entries(report.dynamoDbByHandler ?? {})) {
    for (const [key, n] of Object.entries(counts)) rows.set(`${handler} ${key}`, n / report.jobsQueued);
  }
  return rows;
}

const tables = reports.map(perJob);
const keys = [...new Set(tables.flatMap((t) => [...t.keys()]))].sort(
  (a, b) => (tables[0]?.get(b) ?? 0) - (tables[0]?.get(a) ?? 0) || a.localeCompare(b),
);
const cell = (n: number | undefined) => (n ?? 0).toFixed(2).padStart(7);
const byHandler = (table: Map<string, number>, handler: string) =>
  [...table].filter(([k]) => k.startsWith(`${handler} `)).reduce((sum, [, n]) => sum + n, 0);

process.stdout.write(
  `${'handler operation target'.padEnd(64)}${files.map((_, i) => (i === 0 ? ' before' : '  after')).join('')}\n`,
);
for (const key of keys)
  process.stdout.write(`${key.padEnd(64)}${tables.map((t) => cell(t.get(key))).join('')}\n`);
const handlers = [...new Set(keys.map((k) => k.split(' ')[0] as string))].sort();
process.stdout.write('\nper handler\n');
for (const handler of handlers)
  process.stdout.write(`${handler.padEnd(64)}${tables.map((t) => cell(byHandler(t, handler))).join('')}\n`);
const total = (t: Map<string, number>) => [...t.values()].reduce((a, b) => a + b, 0);
process.stdout.write(`${'total per job'.padEnd(64)}${tables.map((t) => cell(total(t))).join('')}\n`);
process.stdout.write(
  `${'invocations stopped by the load (whole run)'.padEnd(64)}${reports.map((r) => String(r.invocationsTimedOut ?? '?').padStart(7)).join('')}\n`,
);
