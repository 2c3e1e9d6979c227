/**
 * Scale-down at scale: N live reusable runners on one pool (a fifth of them busy at GitHub and
 * on their streams, the rest idle past the minimum running time, none to keep), then scale-down
 * cycles until nothing more is retired. Real DynamoDB adapter against DynamoDB Local (calls
 * counted by an SDK middleware, as in bench/aws), real GitHub adapter against the fake GitHub
 * (calls counted by the fake); machines and secrets are the in-memory twins. Prints numbers;
 * asserts nothing except the invariant (no busy runner retired, every idle one retired).
 *
 *   unshare -n sh -c 'ip link set lo up; pnpm tsx bench/scale-down/cycle.ts 10 100 1000'
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventStore, createEventStoreClient, createEventStoreTable } from '@hangar/adapter-aws';
import { GitHubRunnerRegistry, GitHubWebhookRecovery, createGitHubClients } from '@hangar/adapter-github';
import {
  DEFAULT_SCALER_OPTIONS,
  JobId,
  RunnerId,
  execute,
  fold,
  poolStreamId,
  runnerNameFor,
  runnerStreamId,
  scaleDown,
  streams,
  type ScaleDownDeps,
  type RunnerEvent,
} from '@hangar/core';
import { poolConfig, scalerSettings } from '@hangar/core/testing/scaler-fixture';
import {
  InMemoryComputeProvider,
  InMemorySecretStore,
  ManualClock,
  RecordingLogger,
  RecordingMetrics,
  RecordingQueue,
  SequentialIds,
} from '@hangar/core/testing';

import { startDynamoDbLocal } from '@hangar/test-support';
import { startFakeGitHub } from '@hangar/test-support/github';

type Counted = { middlewareStack: { add: (m: unknown, o: unknown) => void } };

function countCalls(client: Counted, counts: Map<string, number>): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const key = context.commandName ?? 'unknown';
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return next(args);
      },
    { step: 'finalizeRequest', name: 'count-dynamodb' },
  );
}

const ORG = { level: 'org', owner: 'acme' } as const;
const LABELS = ['self-hosted', 'linux', 'x64'];
const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const fmt = (counts: Map<string, number> | Record<string, number>) =>
  Object.entries(counts instanceof Map ? Object.fromEntries(counts) : counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

async function measure(live: number, endpoint: string): Promise<void> {
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const client: DynamoDBClient = createEventStoreClient({ region: 'us-east-1', endpoint, credentials });
  const tableName = `hangar-bench-scale-down-${live}`;
  await createEventStoreTable(client, tableName);
  const counts = new Map<string, number>();
  countCalls(client as unknown as Counted, counts);
  const fake = await startFakeGitHub({ rateLimit: { installation: 1_000_000 } });
  const app = fake.addApp();
  fake.addRepo('acme/web');
  fake.install(app.appId, 'acme');
  const clients = createGitHubClients({ apps: [app], baseUrl: fake.url });
  const registry = new GitHubRunnerRegistry(clients);

  const clock = new ManualClock();
  const store = new DynamoDbEventStore({ client, tableName });
  const pool = poolConfig({ id: 'linux', maxRunners: -1, ephemeral: false, minimumRunningTimeMinutes: 0 });
  const ec2 = new InMemoryComputeProvider('ec2', clock);
  const deps: ScaleDownDeps = {
    eventStore: store,
    snapshots: store,
    index: store,
    streams: streams(30 * 24 * 3_600_000),
    compute: () => ec2,
    registry,
    recovery: new GitHubWebhookRecovery(clients),
    secrets: new InMemorySecretStore(clock),
    scaleUpQueue: new RecordingQueue(),
    jobEventsQueue: new RecordingQueue(),
    clock,
    ids: new SequentialIds(),
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
    settings: scalerSettings([pool]),
    options: DEFAULT_SCALER_OPTIONS,
  };

  // N runners, each registered at GitHub (config.sh with a registration token) and online.
  const token = await registry.createRegistrationToken(ORG);
  const ids = Array.from({ length: live }, (_, i) => RunnerId(`bench-${String(i).padStart(5, '0')}`));
  for (const runnerId of ids) {
    fake.connectRunnerWithToken(token.token, {
      name: runnerNameFor(pool, runnerId),
      labels: ['linux', 'x64'],
    });
  }
  // A fifth of them pick up a job (GitHub's assignment decides which).
  const busyJobs = Math.floor(live / 5);
  for (let i = 0; i < busyJobs; i += 1) fake.queueJob({ repo: 'acme/web', labels: LABELS });
  const busyNames = new Map(
    fake
      .runners()
      .filter((r) => r.busy)
      .map((r) => [r.name, r.jobId]),
  );

  for (const [i, runnerId] of ids.entries()) {
    await execute(
      deps,
      deps.streams.pool,
      poolStreamId(pool.id),
      {
        type: 'ReserveRunnerSlot',
        data: { runnerId, jobId: null, maxRunners: -1, at: clock.now() },
      },
      'seed',
    );
    const launched = await ec2.launch({
      runnerId,
      poolId: pool.id,
      idempotencyKey: `${runnerId}-1`,
      capacityType: 'spot',
      secretPath: `/bench/${runnerId}`,
      owner: 'acme',
    });
    if (launched.outcome !== 'launched') throw new Error('twin launch failed');
    const name = runnerNameFor(pool, runnerId);
    const at = clock.now();
    const job = JobId(900_000 + i);
    const events: RunnerEvent[] = [
      {
        type: 'RunnerRequested',
        data: {
          runnerId,
          poolId: pool.id,
          jobId: null,
          ephemeral: false,
          compute: 'ec2',
          requestedAt: at,
          secretSuffix: `s${i}`,
        },
      },
      { type: 'RunnerLaunchStarted', data: { attempt: 1, capacityType: 'spot', at } },
      {
        type: 'RunnerLaunched',
        data: {
          instanceId: launched.instanceId,
          instanceType: 'm7i.large',
          capacityType: 'spot',
          launchedAt: at,
        },
      },
      { type: 'RunnerRegistrationStarted', data: { attempt: 1, runnerName: name, at } },
      { type: 'RunnerRegistrationCreated', data: { attempt: 1, runnerName: name, githubRunnerId: null, at } },
      { type: 'RunnerRegistrationIssued', data: { runnerName: name, githubRunnerId: null, at } },
      { type: 'RunnerOnline', data: { at } },
      { type: 'RunnerJobStarted', data: { jobId: job, at } },
    ];
    const busyJob = busyNames.get(name);
    if (busyJob === undefined) events.push({ type: 'RunnerJobFinished', data: { jobId: job, at } });
    else
      events.push(
        { type: 'RunnerJobStarted', data: { jobId: JobId(busyJob ?? 0), at } },
        { type: 'RunnerJobFinished', data: { jobId: job, at } },
      );
    const stream = runnerStreamId(runnerId);
    const state = fold(deps.streams.runner.decider, events);
    await store.append(stream, 0, events, {
      metadata: { recordedAt: at, correlationId: 'seed' },
      head: deps.streams.runner.head?.(state, stream),
    });
  }
  clock.advanceMinutes(30);

  const idle = live - busyNames.size;
  console.log(`\n${live} live runners (${busyNames.size} busy, ${idle} idle to retire):`);
  let retiredTotal = 0;
  for (let cycle = 1; cycle <= 40; cycle += 1) {
    counts.clear();
    fake.resetCalls();
    const started = performance.now();
    const report = await scaleDown(deps, `bench-cycle-${cycle}`);
    const ms = performance.now() - started;
    retiredTotal += report.retired;
    const ddb = sum(counts);
    const gh = fake.calls();
    console.log(
      `  cycle ${cycle}: retired ${report.retired} (kept busy ${report.keptBusy}) in ${ms.toFixed(0)} ms; ` +
        `DynamoDB ${ddb} (${report.retired ? (ddb / report.retired).toFixed(1) : '-'} per retired: ${fmt(counts)}); ` +
        `GitHub ${gh.total} (${fmt(gh.byRoute)})`,
    );
    if (report.retired === 0) break;
    clock.advanceMinutes(1);
  }
  const stillBusy = fake.runners().filter((r) => r.busy).length;
  const killed = fake.jobs().filter((j) => j.conclusion === 'failure').length;
  console.log(
    `  total retired ${retiredTotal} of ${idle} idle; busy runners still registered and busy ${stillBusy} of ${busyNames.size}; jobs failed by a deletion ${killed}`,
  );
  await fake.close();
}

const sizes = process.argv.slice(2).map(Number);
// DynamoDB Local takes long to start on a loaded machine.
const dynamo = await startDynamoDbLocal(180_000);
try {
  for (const live of sizes.length > 0 ? sizes : [10, 100, 1000]) await measure(live, dynamo.endpoint);
} finally {
  await dynamo.stop();
}
