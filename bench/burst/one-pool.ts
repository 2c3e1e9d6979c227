// Burst on one pool vs the same jobs over ten pools: N jobs queued at once through the whole
// local control plane (the runtime's handlers on DynamoDB Local, the emulators and the fake
// GitHub), simulated clock stopped so only scale-up runs. Prints numbers; asserts nothing.
//   unshare -n sh -c 'ip link set lo up; pnpm tsx bench/burst/one-pool.ts 1000'
import { startDynamoDbLocal } from '@hangar/test-support';
import { startLocalControlPlane, type LocalControlPlane } from '@hangar/runtime-lambda/local/control-plane';
import { localOverrides, runtimeHandlers } from '@hangar/runtime-lambda/local/runtime-handlers';
import { ALL_FEATURES, buildHandler, processBatch, type ScalerRoot } from '@hangar/runtime-lambda';
import type { SqsHandler } from '@hangar/runtime-lambda/local/sqs-driver';
import { parseScaleUpMessage, retryableLaunchError, scaleUp } from '@hangar/core';
import type { PoolInput } from '@hangar/runtime-lambda/local/infrastructure';
import type { HandlerFactory } from '@hangar/runtime-lambda/local/handler-set';
import { EmfCounter, percentiles, perJob } from './measure';

const LABELS = ['self-hosted', 'linux', 'x64'];

function pool(id: string, labels: readonly string[], maxRunners: number): PoolInput {
  return {
    id,
    labels: [...labels],
    owner: 'acme',
    maxRunners,
    minimumRunningTimeMinutes: 1,
    bootTimeMinutes: 30,
    compute: {
      kind: 'ec2',
      launchTemplateName: `lt-${id}`,
      subnetIds: ['subnet-0a1b2c3d'],
      instanceTypes: ['m7i.large', 'm6i.large'],
    },
  };
}

/** The scale-up handler before batch reservations: each message reserves its own slot. */
function perMessageScaleUp(root: ScalerRoot): SqsHandler {
  const common = { queue: 'scale-up', logger: root.deps.logger, metrics: root.deps.metrics };
  return (event) =>
    processBatch(event, {
      ...common,
      process: async (record) => {
        const message = parseScaleUpMessage(record.body);
        if ('malformed' in message) return { retry: true, reason: message.malformed };
        const outcome = await scaleUp(root.deps, message, record.messageId);
        if (outcome.kind === 'retry') throw retryableLaunchError(outcome);
        return { retry: false };
      },
    });
}

/** Stamps every webhook's arrival (real ms) by workflow job id; `perMessage`: the old scale-up. */
function stampingHandlers(received: Map<string, number>, perMessage: boolean): HandlerFactory {
  return async (infrastructure, clock, environment) => {
    const handlers = await runtimeHandlers(infrastructure, clock, environment);
    const overrides = localOverrides(infrastructure, clock);
    return {
      ...handlers,
      ...(perMessage
        ? { scaleUp: await buildHandler('scale-up', environment, overrides, ALL_FEATURES, perMessageScaleUp) }
        : {}),
      webhook: (event) => {
        const id = /"workflow_job":\{"id":(\d+)/.exec(event.body ?? '')?.[1];
        if (id && !received.has(id)) received.set(id, Date.now());
        return handlers.webhook(event);
      },
    };
  };
}

interface Scenario {
  readonly name: string;
  readonly pools: readonly PoolInput[];
  readonly labelsFor: (i: number) => readonly string[];
  readonly perMessage?: boolean;
}

async function run(scenario: Scenario, jobs: number, endpoint: string, emf: EmfCounter): Promise<void> {
  const received = new Map<string, number>();
  const launchedAt = new Map<string, number>();
  const plane: LocalControlPlane = await startLocalControlPlane({
    pools: scenario.pools,
    repos: ['acme/web', 'acme/api'],
    dynamoDbEndpoint: endpoint,
    handlers: stampingHandlers(received, scenario.perMessage === true),
    bootDelaySeconds: 600,
    schedules: { scaleDown: 0, pool: 0, reconciler: 0, binariesSyncer: 0 },
    queueConcurrency: Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 4),
    // Throughput, not kills: a loaded machine must not turn slow batches into redeliveries.
    invocationTimeoutMs: 600_000,
  });
  const { infrastructure, fake } = plane;
  infrastructure.ec2.onStateChange((change) => {
    if (change.cause !== 'launch') return;
    const tags = infrastructure.ec2.instances().find((i) => i.instanceId === change.instanceId)?.tags;
    const jobId = /^j(\d+)-/.exec(tags?.['hangar:runner-id'] ?? '')?.[1];
    if (jobId && !launchedAt.has(jobId)) launchedAt.set(jobId, Date.now());
  });
  for (const proxy of Object.values(infrastructure.proxies)) proxy.resetCalls();
  fake.resetCalls();
  emf.reset();
  const started = Date.now();
  for (let i = 0; i < jobs; i += 1) {
    fake.queueJob({
      repo: i % 2 ? 'acme/web' : 'acme/api',
      labels: [...scenario.labelsFor(i)],
      durationMs: 60_000,
    });
  }
  await plane.settle();
  const wall = (Date.now() - started) / 1000;
  const latencies = [...launchedAt].map(([id, at]) => at - (received.get(id) ?? at));
  const first = Math.min(...received.values());
  const last = Math.max(...launchedAt.values());
  const aws = Object.fromEntries(Object.entries(infrastructure.proxies).map(([s, p]) => [s, p.calls()]));
  const github = fake.calls().total;
  const [p50, p95, p99] = percentiles(latencies, [50, 95, 99]);
  console.log(
    JSON.stringify({
      scenario: scenario.name,
      jobs,
      launched: launchedAt.size,
      wallSeconds: wall,
      launchesPerSecond: Number((launchedAt.size / ((last - first) / 1000)).toFixed(2)),
      webhookToLaunchMs: { p50, p95, p99 },
      versionConflicts: emf.sum('VersionConflicts'),
      conflictsPerLaunch: Number((emf.sum('VersionConflicts') / Math.max(1, launchedAt.size)).toFixed(3)),
      concurrencyExhausted: emf.sum('ConcurrencyExhausted'),
      messagesFailed: emf.sum('MessagesFailed'),
      perJob: perJob(aws, github, jobs),
      scaleUpQueue: plane.queues.scaleUp.stats,
    }),
  );
  await plane.close();
}

async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 1000);
  const only = process.argv[3];
  const emf = new EmfCounter();
  emf.install();
  const dynamo = await startDynamoDbLocal(180_000);
  const scenarios: Scenario[] = [
    {
      name: 'one pool, one reservation per message (before)',
      pools: [pool('one', LABELS, jobs)],
      labelsFor: () => LABELS,
      perMessage: true,
    },
    { name: 'one pool', pools: [pool('one', LABELS, jobs)], labelsFor: () => LABELS },
    {
      name: 'ten pools',
      pools: Array.from({ length: 10 }, (_, p) => pool(`p${p}`, [...LABELS, `p${p}`], Math.ceil(jobs / 10))),
      labelsFor: (i) => [...LABELS, `p${i % 10}`],
    },
  ];
  try {
    for (const scenario of scenarios) {
      // A name prefix picks scenarios; `=name` picks exactly one (`=one pool`: the default alone).
      const picked = only?.startsWith('=')
        ? scenario.name === only.slice(1)
        : scenario.name.startsWith(only ?? '');
      if (!picked) continue;
      await run(scenario, jobs, dynamo.endpoint, emf);
    }
  } finally {
    await dynamo.stop();
    emf.uninstall();
  }
}

await main();
