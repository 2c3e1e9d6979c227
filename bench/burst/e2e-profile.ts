// The burst e2e scenario (200 jobs at once, one pool with max 50) run outside jest, with
// where its time and calls go: wall time, simulated minutes, steps, API calls by operation.
//   unshare -n sh -c 'ip link set lo up; pnpm tsx bench/burst/e2e-profile.ts'
import { startDynamoDbLocal } from '@hangar/test-support';
import { startLocalControlPlane } from '@hangar/runtime-lambda/local/control-plane';
import { runtimeHandlers } from '@hangar/runtime-lambda/local/runtime-handlers';
import { logicalJobs } from '@hangar/runtime-lambda/local/report';
import { EmfCounter } from './measure';

async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 200);
  const max = Number(process.argv[3] ?? 50);
  const emf = new EmfCounter();
  emf.install();
  const dynamo = await startDynamoDbLocal(180_000);
  const started = Date.now();
  const plane = await startLocalControlPlane({
    pools: [
      {
        id: 'burst',
        labels: ['self-hosted', 'linux', 'x64'],
        owner: 'acme',
        maxRunners: max,
        minimumRunningTimeMinutes: 1,
        bootTimeMinutes: 5,
        jobQueuedCheck: false,
        compute: {
          kind: 'ec2',
          launchTemplateName: 'lt-burst',
          subnetIds: ['subnet-0a1b2c3d'],
          instanceTypes: ['m7i.large', 'm6i.large'],
        },
      },
    ],
    repos: ['acme/web', 'acme/api'],
    dynamoDbEndpoint: dynamo.endpoint,
    handlers: runtimeHandlers,
    bootDelaySeconds: 20,
    schedules: { reconciler: 300 },
    queueConcurrency: 2,
    indexLagSeconds: 5,
    invocationTimeoutMs: Number(process.env.BENCH_INVOCATION_TIMEOUT_MS ?? 60_000),
  });
  const startedRun = Date.now();
  for (let i = 0; i < jobs; i += 1) {
    plane.fake.queueJob({
      repo: i % 2 ? 'acme/web' : 'acme/api',
      labels: ['self-hosted', 'linux', 'x64'],
      durationMs: 60_000,
    });
  }
  const done = (): boolean =>
    [...logicalJobs(plane.fake.jobs()).values()].every((a) => a[a.length - 1]?.status === 'completed');
  let steps = 0;
  await plane.settle();
  const firstSettle = (Date.now() - startedRun) / 1000;
  while (!done() && steps < 240) {
    await plane.step();
    steps += 1;
  }
  const report = await plane.report();
  console.log(
    JSON.stringify(
      {
        jobs,
        max,
        startSeconds: (startedRun - started) / 1000,
        firstSettleSeconds: firstSettle,
        runSeconds: (Date.now() - startedRun) / 1000,
        steps,
        simulatedMinutes: report.simulatedMinutes,
        completed: report.jobsCompleted,
        peak: report.peakRunnersAlive,
        conflicts: emf.sum('VersionConflicts'),
        exhausted: emf.sum('ConcurrencyExhausted'),
        messagesFailed: emf.sum('MessagesFailed'),
        github: report.githubCalls,
        aws: report.awsCalls,
        scaleUp: plane.queues.scaleUp.stats,
        jobEvents: plane.queues.jobEvents.stats,
        deadLetters: report.deadLetters,
      },
      null,
      1,
    ),
  );
  await plane.close();
  await dynamo.stop();
  emf.uninstall();
}

await main();
