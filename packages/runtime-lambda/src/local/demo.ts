// Entry of `npm run demo` (scripts/demo.mjs): the local control plane over the bundled workload.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runDemo, type Workload } from './demo-run';
import { formatSummary } from './demo-summary';
import { runtimeHandlers } from './runtime-handlers';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'scripts/demo/workload.json' },
    report: { type: 'string', default: 'demo-report.json' },
    quiet: { type: 'boolean', default: false },
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
  const result = await runDemo({ workload, handlers: runtimeHandlers, progress: log });
  writeFileSync(values.report, `${JSON.stringify(result.report, null, 2)}\n`);
  process.stdout.write(`\n${formatSummary(result.report, result.violations)}\n`);
  process.stdout.write(`\nreport written to ${values.report}\n`);
  process.exitCode = result.violations.length === 0 && result.finished ? 0 : 1;
} catch (error) {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
