// Entry of `npm run demo` (scripts/demo.mjs): the local control plane over the bundled workload.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoHtml } from './demo-html';
import { copyTable, keptInstructions, startKeptDynamoDb, type KeptDemo } from './demo-keep';
import { runDemo, type DemoOptions, type Workload } from './demo-run';
import { formatSummary } from './demo-summary';
import { runtimeHandlers } from './runtime-handlers';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'scripts/demo/workload.json' },
    report: { type: 'string', default: 'demo-report.json' },
    quiet: { type: 'boolean', default: false },
    // Leave DynamoDB Local up with the history; describe it in this file (for --stop).
    keep: { type: 'string' },
    // The simulated minute whose table is also kept as it was then (jobs still waiting).
    'keep-at': { type: 'string', default: '13' },
  },
});

// Locally there is no CloudWatch: Powertools would print an EMF document per invocation to the
// terminal. It reads this switch from the process environment when each handler is built.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const workload = JSON.parse(readFileSync(values.workload, 'utf8')) as Workload;
const log = (line: string) => {
  if (!values.quiet) process.stdout.write(`${line}\n`);
};
log(
  'Hangar demo: the eight Lambda handlers against local emulators of DynamoDB, SQS, EC2, ECS, SSM and GitHub',
);
log('(simulated time; nothing leaves this machine)\n');

try {
  const kept = values.keep ? await startKeptDynamoDb() : null;
  // Written at once, so `--stop` finds the process even if the run fails.
  if (kept && values.keep)
    writeFileSync(values.keep, `${JSON.stringify({ ...kept, tables: [], examples: {} })}\n`);
  const keepAt = Number(values['keep-at']);
  let frozen: { name: string; now: string } | null = null;
  const options: DemoOptions = {
    workload,
    handlers: runtimeHandlers,
    progress: log,
    ...(kept
      ? {
          dynamoDbEndpoint: kept.endpoint,
          atMinute: {
            minute: keepAt,
            run: async (plane) => {
              const name = `${plane.infrastructure.tableName}-t${keepAt}`;
              await copyTable(kept.endpoint, plane.infrastructure.tableName, name);
              frozen = { name, now: plane.clock.now() };
            },
          },
        }
      : {}),
  };
  const result = await runDemo(options);
  writeFileSync(values.report, `${JSON.stringify(result.report, null, 2)}\n`);
  const html = values.report.replace(/\.json$/, '') + '.html';
  writeFileSync(html, demoHtml(result.report, result.timeline, result.violations));
  process.stdout.write(`\n${formatSummary(result.report, result.violations)}\n`);
  process.stdout.write(`\nreport written to ${values.report} and ${html}\n`);
  if (kept && values.keep) {
    const at = frozen as { name: string; now: string } | null;
    const state: KeptDemo = {
      ...kept,
      pools: values.workload,
      tables: [
        { name: result.tableName, now: result.endedAt, what: 'the end of the run: every job done' },
        ...(at ? [{ ...at, what: `the table as it was at t+${keepAt} min (jobs waiting)` }] : []),
      ],
      examples: {
        'waited on a full pool': result.timeline.history.examples.fullPool,
        'launched during the spot capacity outage': result.timeline.history.examples.capacityOutage,
        'its runner was interrupted (spot)': result.timeline.history.examples.interrupted,
      },
    };
    writeFileSync(values.keep, `${JSON.stringify(state, null, 2)}\n`);
    process.stdout.write(`\n${keptInstructions(state).join('\n')}\n`);
  }
  process.exitCode = result.violations.length === 0 && result.finished ? 0 : 1;
} catch (error) {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
