/**
 * The webhook fuzzer: generated inputs through the real webhook wiring, against DynamoDB Local
 * and the emulators (started here). Prints the figures and any violation with its replay
 * command; exits 1 on a violation.
 *
 *   pnpm fuzz -- --inputs 100000 [--seed N] [--minutes M]
 *     (--minutes M: start no batch after M minutes; the figures count the inputs run)
 */
import { startDynamoDbLocal } from '@hangar/test-support';
import { runFuzz } from './fuzz';
import { startFuzzTarget } from './target';

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(args[at + 1]);
  if (value !== undefined && !Number.isSafeInteger(value)) throw new Error(`--${name} needs an integer`);
  return value ?? fallback;
}

const inputs = option('inputs', 10_000);
const seed = option('seed', Date.now() % 2 ** 31);
const minutes = option('minutes', 0);
console.log(`fuzzing the webhook: ${inputs} inputs, seed ${seed}`);
// Started here with a long wait: on a loaded machine DynamoDB Local can take minutes to answer.
const dynamo = await startDynamoDbLocal(180_000);
const target = await startFuzzTarget(dynamo.endpoint);
try {
  const report = await runFuzz(target, {
    seed,
    inputs,
    progress: (done) => process.stderr.write(`\r${done} / ${inputs}`),
    ...(minutes > 0 ? { stopAfterMs: minutes * 60_000 } : {}),
  });
  process.stderr.write('\n');
  const { violations, ...figures } = report;
  console.log(JSON.stringify(figures, null, 2));
  for (const v of violations) {
    console.log(`VIOLATION ${v.rule} at input #${v.index} (${v.expect}, answered ${v.status}): ${v.detail}`);
    console.log(`  input: ${v.input}`);
    console.log(`  replay: pnpm fuzz -- --seed ${seed} --inputs ${v.index + 1}`);
  }
  console.log(
    `${report.inputs} inputs in ${report.wallSeconds.toFixed(1)} s: ${report.crashes} crashes, ` +
      `${report.undeclared5xx} undeclared 5xx, ${report.writesForRejected} writes for rejected inputs, ` +
      `${report.replaysRecorded} replays recorded twice (seed ${seed})`,
  );
  process.exitCode = violations.length === 0 ? 0 : 1;
} finally {
  await target.close();
  await dynamo.stop();
}
