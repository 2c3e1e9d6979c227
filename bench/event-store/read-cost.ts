// Event store benchmark: append latency, read cost of a 5,000-event pool stream with and
// without snapshots, and the conflict-retry rate of concurrent scale-ups on one pool.
// Prints numbers; asserts nothing. DynamoDB Local binds every interface, so run it in a
// private network namespace (see docs/benchmarks.md for the command).
import {
  DynamoDbEventStore,
  countReads,
  createEventStoreClient,
  createEventStoreTable,
} from '@hangar/adapter-aws';
import {
  POOL_SNAPSHOT_EVERY,
  RunnerId,
  handleCommand,
  loadStream,
  poolDecider,
  poolStreamId,
  type PoolCommand,
  type PoolEvent,
  type StreamHead,
} from '@hangar/core';
import { startDynamoDbLocal } from '@hangar/test-support';
import { fmt, percentile, timed } from './stats';

const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const pool = { decider: poolDecider, snapshotEvery: POOL_SNAPSHOT_EVERY };
const at = (i: number) => new Date(Date.parse(metadata.recordedAt) + i * 1000).toISOString();
const jobHead = (i: number): StreamHead => ({
  streamType: 'job',
  open: true,
  group: null,
  lookupKey: `job-${i}`,
  alternateKey: null,
  view: { owner: 'acme', repo: 'app', labels: ['self-hosted', 'linux', 'x64'], queuedAt: at(i) },
});
const reserve = (i: number, maxRunners = 100_000): PoolCommand => ({
  type: 'ReserveRunnerSlot',
  data: { runnerId: RunnerId(`r-${i}`), jobId: null, maxRunners, at: at(i) },
});
const release = (i: number): PoolCommand => ({
  type: 'ReleaseRunnerSlot',
  data: { runnerId: RunnerId(`r-${i}`), at: at(i) },
});
const pair = (i: number): PoolEvent[] => [
  { type: 'RunnerSlotReserved', data: { runnerId: RunnerId(`r-${i}`), jobId: null, at: at(i) } },
  { type: 'RunnerSlotReleased', data: { runnerId: RunnerId(`r-${i}`), at: at(i) } },
];

function row(name: string, sample: readonly number[], extra = ''): void {
  const cells = [50, 95, 99].map((p) => fmt(percentile(sample, p)));
  console.log(`| ${name} | ${sample.length} | ${cells.join(' | ')} | ${extra} |`);
}

async function main(): Promise<void> {
  const local = await startDynamoDbLocal();
  const client = createEventStoreClient({
    region: 'local',
    endpoint: local.endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    await createEventStoreTable(client, 'bench-events');
    const store = new DynamoDbEventStore({ client, tableName: 'bench-events' });
    const counter = countReads(client);
    const deps = { eventStore: store, snapshots: store };
    console.log('| measurement | n | p50 ms | p95 ms | p99 ms | notes |');
    console.log('|---|---|---|---|---|---|');

    // Warm-up: the JVM behind DynamoDB Local compiles its hot paths during the first calls.
    for (let i = 0; i < 200; i += 1)
      await store.append(`warm-${i}`, 0, pair(i), { metadata, head: jobHead(i) });

    // Appends: a new job stream (1 event + head), then 4 more appends each (a job's life).
    const firstAppend: number[] = [];
    const laterAppend: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      firstAppend.push(
        (await timed(() => store.append(`job-${i}`, 0, [pair(i)[0]!], { metadata, head: jobHead(i) }))).ms,
      );
    }
    for (let i = 0; i < 300; i += 1) {
      for (let v = 1; v < 5; v += 1)
        laterAppend.push(
          (await timed(() => store.append(`job-${i}`, v, [pair(i)[1]!], { metadata, head: jobHead(i) }))).ms,
        );
    }
    row('append, new stream (1 event + head)', firstAppend);
    row('append, existing stream (1 event + head)', laterAppend);

    // Baseline read: a short (5-event) job stream.
    const shortReads: number[] = [];
    for (let i = 0; i < 300; i += 1) shortReads.push((await timed(() => store.readStream(`job-${i}`))).ms);
    row('read, 5-event stream (baseline)', shortReads);
    const baseline = percentile(shortReads, 50);

    // The long pool stream: 4,799 events seeded in 98-event appends, then 201 commands through
    // handleCommand (it snapshots every 50), ending at version 5,000 with a snapshot at 5,000.
    const streamId = poolStreamId('bench');
    const seeded = Array.from({ length: 2400 }, (_, i) => pair(i))
      .flat()
      .slice(0, 4799);
    for (let v = 0; v < seeded.length; v += 98)
      await store.append(streamId, v, seeded.slice(v, v + 98), { metadata });
    const commands = [
      release(2399),
      ...Array.from({ length: 100 }, (_, k) => [reserve(2400 + k), release(2400 + k)]).flat(),
    ];
    for (const command of commands) await handleCommand(deps, pool, streamId, command, metadata);
    // A snapshot right at the end would read 0 events; append 49 more so loads read the worst case.
    for (let k = 0; k < 49; k += 1) await handleCommand(deps, pool, streamId, reserve(3000 + k), metadata);

    const measureLoads = async (withSnapshots: boolean, runs: number) => {
      const sample: number[] = [];
      let items = 0;
      for (let i = 0; i < runs; i += 1) {
        counter.reset();
        sample.push(
          (await timed(() => loadStream(withSnapshots ? deps : { eventStore: store }, pool, streamId))).ms,
        );
        items = counter.itemsQueried + counter.itemsGot;
      }
      return { sample, items };
    };
    const without = await measureLoads(false, 20);
    const withSnap = await measureLoads(true, 300);
    const p50 = (sample: number[]) => percentile(sample, 50);
    row(
      'load 5,049-event pool stream, no snapshot',
      without.sample,
      `${without.items} items read; ${(p50(without.sample) / baseline).toFixed(1)}× baseline p50`,
    );
    row(
      'load 5,049-event pool stream, snapshot at 5,000',
      withSnap.sample,
      `${withSnap.items} items read; ${(p50(withSnap.sample) / baseline).toFixed(1)}× baseline p50`,
    );

    // Conflict-retry rate: N scale-ups at once on one pool, each through handleCommand.
    for (const concurrency of [10, 50]) {
      const id = poolStreamId(`contended-${concurrency}`);
      const backoff = (attempt: number) =>
        new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      const start = performance.now();
      const results = await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          handleCommand({ ...deps, backoff }, pool, id, reserve(10_000 + i), metadata, 50),
        ),
      );
      const conflicts = results.reduce((sum, result) => sum + result.conflicts, 0);
      const ms = performance.now() - start;
      console.log(
        `| ${concurrency} concurrent ReserveRunnerSlot on one pool | ${concurrency} | | | | ${conflicts} conflicts (${(conflicts / concurrency).toFixed(2)} retries per command), all accepted in ${ms.toFixed(0)} ms |`,
      );
    }
  } finally {
    client.destroy();
    await local.stop();
  }
}

await main();
