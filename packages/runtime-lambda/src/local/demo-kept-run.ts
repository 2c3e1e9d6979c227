// `npm run demo -- --keep`: the demo on a DynamoDB Local that outlives it, and the description
// of what it left up (the state file `--stop` reads, and what the printed commands name).
import { writeFileSync } from 'node:fs';
import { copyTable, startKeptDynamoDb, type KeptDemo } from './demo-keep';
import { runDemo, type DemoOptions, type DemoResult } from './demo-run';

export interface KeptRunOptions {
  readonly demo: Omit<DemoOptions, 'dynamoDbEndpoint' | 'atMinute'>;
  /** The workload file: its pools give `hangar pools` each pool's maximum. */
  readonly workloadPath: string;
  /** Where the kept process and its tables are described (`npm run demo -- --stop` reads it). */
  readonly stateFile: string;
  /** The simulated minute whose table is also kept as it was then (jobs still waiting). */
  readonly keepAt: number;
  /** A DynamoDB Local already running (a spec's); absent: one is started detached from this process. */
  readonly dynamoDb?: { readonly pid: number; readonly endpoint: string };
}

/**
 * Runs the demo against a DynamoDB Local started detached from this process, so that the
 * demo's teardown (which stops every emulator it started, not one it was given) and this
 * process's exit leave it up with the run's table and a copy of the table as it was at `keepAt`.
 */
export async function runKeptDemo(
  options: KeptRunOptions,
): Promise<{ readonly result: DemoResult; readonly kept: KeptDemo }> {
  const started = options.dynamoDb ?? (await startKeptDynamoDb());
  // Written at once, so `--stop` finds the process even if the run fails.
  writeFileSync(options.stateFile, `${JSON.stringify({ ...started, tables: [], examples: {} })}\n`);
  let frozen: { name: string; now: string } | null = null;
  const result = await runDemo({
    ...options.demo,
    dynamoDbEndpoint: started.endpoint,
    atMinute: {
      minute: options.keepAt,
      run: async (plane) => {
        const name = `${plane.infrastructure.tableName}-t${options.keepAt}`;
        await copyTable(started.endpoint, plane.infrastructure.tableName, name);
        frozen = { name, now: plane.clock.now() };
      },
    },
  });
  const at = frozen as { name: string; now: string } | null;
  const examples = result.timeline.history.examples;
  const kept: KeptDemo = {
    ...started,
    pools: options.workloadPath,
    tables: [
      { name: result.tableName, now: result.endedAt, what: 'the end of the run: every job done' },
      ...(at ? [{ ...at, what: `the table as it was at t+${options.keepAt} min (jobs waiting)` }] : []),
    ],
    examples: {
      'waited on a full pool': examples.fullPool,
      'launched during the spot capacity outage': examples.capacityOutage,
      'its runner was interrupted (spot)': examples.interrupted,
    },
  };
  writeFileSync(options.stateFile, `${JSON.stringify(kept, null, 2)}\n`);
  return { result, kept };
}
