// Entry of `npm run demo` (scripts/demo.mjs): the local control plane over the bundled workload.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoHtml } from './demo-html';
import { keptInstructions } from './demo-keep';
import { runKeptDemo } from './demo-kept-run';
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
  const options: DemoOptions = { workload, handlers: runtimeHandlers, progress: log };
  const { result, kept } = values.keep
    ? await runKeptDemo({
        demo: options,
        workloadPath: values.workload,
        stateFile: values.keep,
        keepAt: Number(values['keep-at']),
      })
    : { result: await runDemo(options), kept: null };
  writeFileSync(values.report, `${JSON.stringify(result.report, null, 2)}\n`);
  const html = values.report.replace(/\.json$/, '') + '.html';
  writeFileSync(html, demoHtml(result.report, result.timeline, result.violations));
  process.stdout.write(`\n${formatSummary(result.report, result.violations)}\n`);
  process.stdout.write(`\nreport written to ${values.report} and ${html}\n`);
  if (kept) process.stdout.write(`\n${keptInstructions(kept).join('\n')}\n`);
  process.exitCode = result.violations.length === 0 && result.finished ? 0 : 1;
} catch (error) {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
