// `hangar` against a day of history: how long each command takes to answer when the table holds
// 20,000 runners' streams (and their jobs'), measured in process (the reads and the rendering)
// and as a whole `npm run hangar` process (node scripts/hangar.mjs: the bundled CLI, so it adds
// Node's start-up and the bundle's load). Prints numbers; asserts nothing.
// DynamoDB Local binds every interface: run it in a private network namespace
// (docs/benchmarks.md has the command). Arguments: runners (20000), waiting jobs (200), repeats (7).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDbEventStore, createEventStoreClient, createEventStoreTable } from '@hangar/adapter-aws';
import { runCli } from '@hangar/cli';
import { describePools, listWaiting, type ReadDeps } from '@hangar/core';
import { startDynamoDbLocal } from '@hangar/test-support';
import { fmt, percentile, timed } from '../event-store/stats';
import { BulkWriter } from './bulk-writer';
import { DAY_END, writeDay } from './day-history';

const [runners = 20_000, waiting = 200, repeats = 7] = process.argv.slice(2).map(Number);
const local = await startDynamoDbLocal(120_000);
const client = createEventStoreClient({
  region: 'us-east-1',
  endpoint: local.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const tableName = 'hangar-bench-day';
try {
  await createEventStoreTable(client, tableName);
  const store = new DynamoDbEventStore({ client, tableName });
  const written = await timed(() =>
    writeDay(store, new BulkWriter(client, tableName), {
      runners,
      waiting,
      pools: [
        { id: 'linux', share: 0.8, max: 400 },
        { id: 'arm', share: 0.2, max: 100 },
      ],
    }),
  );
  const ids = written.value;
  console.log(
    `wrote ${runners} runners (+ jobs, pools): ${ids.events} events in ${(written.ms / 1000).toFixed(0)} s\n`,
  );
  const now = new Date(DAY_END).toISOString();
  const common = ['--table', tableName, '--endpoint', local.endpoint, '--now', now, '--json'];
  const commands: [string, string[]][] = [
    ['job (ran, 2 streams)', ['job', ids.busyJob]],
    ['job (waiting, pool at max)', ['job', ids.waitingJob]],
    ['runner <runner id>', ['runner', ids.runnerId]],
    ['runner <instance id>', ['runner', ids.instanceId]],
    ['runner <runner name>', ['runner', ids.runnerName]],
    [`waiting (${waiting} jobs)`, ['waiting']],
    ['pools (2 pools, last hour)', ['pools']],
  ];
  console.log('command                          in process p50 / max (ms)    whole process (ms)');
  const bin = fileURLToPath(new URL('../../scripts/hangar.mjs', import.meta.url));
  spawnSync(process.execPath, [bin, '--help'], { stdio: 'ignore' }); // builds the bundle once
  for (const [name, args] of commands) {
    const sample: number[] = [];
    let bytes = 0;
    for (let i = 0; i < repeats; i += 1) {
      const run = await timed(() =>
        runCli([...args, ...common], {
          out: (text) => (bytes = text.length),
          err: () => undefined,
          isTty: false,
          env: {},
          now: () => now,
        }),
      );
      if (run.value !== 0) throw new Error(`${name} exited ${run.value}`);
      sample.push(run.ms);
    }
    const whole = await timed(
      async () => spawnSync(process.execPath, [bin, ...args, ...common], { stdio: 'ignore' }).status,
    );
    console.log(
      `${name.padEnd(32)} ${fmt(percentile(sample, 50)).padStart(8)} / ${fmt(Math.max(...sample)).padStart(8)}   (${bytes} bytes)   ${fmt(whole.ms).padStart(9)}`,
    );
  }
  await printCalls(store, now);
} finally {
  client.destroy();
  await local.stop();
}

/**
 * DynamoDB calls per answer, by operation (load does not change them, unlike the times): the
 * read side's queries on a client that counts what it sends.
 */
async function printCalls(store: DynamoDbEventStore, now: string): Promise<void> {
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const command = context.commandName ?? 'unknown';
      calls.set(command, (calls.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCalls' },
  );
  const deps: ReadDeps = { eventStore: store, snapshots: store, index: store, history: store };
  console.log('\nDynamoDB calls per answer:');
  for (const [name, read] of [
    ['waiting', () => listWaiting(deps, now)],
    ['pools', () => describePools(deps, now, [])],
  ] as const) {
    calls.clear();
    await read();
    console.log(`  ${name}: ${[...calls].map(([command, n]) => `${n} ${command}`).join(', ')}`);
  }
}
