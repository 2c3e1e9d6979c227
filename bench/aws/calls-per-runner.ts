// AWS API calls per launched runner: one ephemeral job end to end (webhook → scale-up →
// in_progress → completed → retirement) through the real DynamoDB, EC2 and SSM adapters
// against DynamoDB Local and the loopback EC2/SSM emulators. GitHub is the in-memory twin
// (its calls are counted in bench/github). Prints numbers; asserts nothing.
//   pnpm tsx bench/aws/calls-per-runner.ts 20 [cold]
import { EC2Client } from '@aws-sdk/client-ec2';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  COMPUTE_CLIENT_RETRY,
  DynamoDbEventStore,
  Ec2FleetComputeProvider,
  SsmSecretStore,
  createEventStoreClient,
  createEventStoreTable,
  createSsmClient,
} from '@hangar/adapter-aws';
import {
  applyJobEvent,
  DEFAULT_SCALER_OPTIONS,
  PoolId,
  RecentStreamCache,
  recordWorkflowJob,
  runnerIdForJob,
  runnerNameFor,
  scaleUp,
  streams,
  JobId,
  type ReconcileDeps,
} from '@hangar/core';
import { poolConfig, scalerSettings, workflowJobFact } from '@hangar/core/testing/scaler-fixture';
import {
  InMemoryComputeProvider,
  InMemoryRunnerRegistry,
  ManualClock,
  RecordingLogger,
  RecordingMetrics,
  RecordingQueue,
  SequentialIds,
} from '@hangar/core/testing';
import { startDynamoDbLocal } from '@hangar/test-support';
import { startEc2Emulator } from '@hangar/test-support/aws/ec2';
import { startSsmEmulator } from '@hangar/test-support/aws/ssm';

type Counted = { middlewareStack: EC2Client['middlewareStack'] };

/** Counts every API call a client makes (after SDK retries: each attempt is one call). */
function countCalls(client: Counted, service: string, counts: Map<string, number>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const key = `${service} ${context.commandName ?? 'unknown'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: `count-${service}` },
  );
}

async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 50);
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const dynamo = await startDynamoDbLocal();
  const ec2 = await startEc2Emulator({ subnets: { 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' } });
  const ssm = await startSsmEmulator();
  ec2.addLaunchTemplate({
    name: 'hangar-linux',
    imageId: 'ami-0123456789abcdef0',
    instanceType: 'm7i.large',
  });
  const counts = new Map<string, number>();

  const ddbClient: DynamoDBClient = createEventStoreClient({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials,
  });
  const ec2Client = new EC2Client({
    region: 'us-east-1',
    endpoint: ec2.endpoint,
    credentials,
    ...COMPUTE_CLIENT_RETRY,
  });
  const ssmClient: SSMClient = createSsmClient({ region: 'us-east-1', endpoint: ssm.endpoint, credentials });
  const tableName = 'hangar-bench-calls';
  await createEventStoreTable(ddbClient, tableName);
  countCalls(ddbClient as unknown as Counted, 'dynamodb', counts);
  countCalls(ec2Client as unknown as Counted, 'ec2', counts);
  countCalls(ssmClient as unknown as Counted, 'ssm', counts);

  const clock = new ManualClock();
  const store = new DynamoDbEventStore({ client: ddbClient, tableName });
  const pool = poolConfig({ id: 'linux', maxRunners: -1 });
  const compute = new Ec2FleetComputeProvider({
    client: ec2Client,
    deployment: tableName,
    pools: new Map([
      [
        PoolId('linux'),
        {
          launchTemplateName: 'hangar-linux',
          subnetIds: ['subnet-a', 'subnet-b'],
          instanceTypes: ['m7i.large', 'm6i.large'],
          allocationStrategy: 'price-capacity-optimized',
        },
      ],
    ]),
  });
  const registry = new InMemoryRunnerRegistry();
  const scaleUpQueue = new RecordingQueue<never>();
  const jobEventsQueue = new RecordingQueue<never>();
  const deps: ReconcileDeps = {
    eventStore: store,
    snapshots: store,
    index: store,
    streams: streams(30 * 24 * 3_600_000),
    compute: (kind) => (kind === 'ec2' ? compute : new InMemoryComputeProvider('fargate', clock)),
    registry,
    recovery: registry,
    secrets: new SsmSecretStore({ client: ssmClient, clock, runnerRoleIds: { ec2: 'AROABENCHRUNNERROLE' } }),
    scaleUpQueue,
    jobEventsQueue,
    clock,
    ids: new SequentialIds(),
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
    settings: scalerSettings([pool]),
    options: DEFAULT_SCALER_OPTIONS,
  };

  // Each function in its own warm container, remembering the streams it read or wrote
  // (RecentStreams), as the composition root builds it; `cold` runs every call without one.
  const warm = (): ReconcileDeps =>
    process.argv.includes('cold') ? deps : { ...deps, recent: new RecentStreamCache() };
  const fn = { webhook: warm(), scaleUp: warm(), jobEvents: warm() };
  const started = performance.now();
  for (let i = 1; i <= jobs; i += 1) {
    const jobId = 5_000_000 + i;
    await recordWorkflowJob(fn.webhook, workflowJobFact('queued', jobId, clock.now()));
    for (const message of scaleUpQueue.take()) {
      const outcome = await scaleUp(fn.scaleUp, message, `bench-${i}`);
      if (outcome.kind !== 'launched')
        throw new Error(`job ${jobId} was not launched: ${JSON.stringify(outcome)}`);
    }
    clock.advanceSeconds(40);
    const runnerName = runnerNameFor(pool, runnerIdForJob(JobId(jobId), 1));
    await recordWorkflowJob(fn.webhook, workflowJobFact('in_progress', jobId, clock.now(), { runnerName }));
    clock.advanceMinutes(3);
    await recordWorkflowJob(fn.webhook, workflowJobFact('completed', jobId, clock.now(), { runnerName }));
    for (const message of jobEventsQueue.take()) await applyJobEvent(fn.jobEvents, message);
  }
  const elapsed = performance.now() - started;
  const sqsSends = scaleUpQueue.sent.length + jobEventsQueue.sent.length;

  console.log(
    `\n${jobs} ephemeral jobs end to end (${(elapsed / jobs).toFixed(1)} ms per job on loopback)\n`,
  );
  console.log('| service | operation | calls | per runner |');
  console.log('|---|---|---|---|');
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  let total = 0;
  for (const [key, calls] of rows) {
    const [service, operation] = key.split(' ');
    total += calls;
    console.log(`| ${service} | ${operation} | ${calls} | ${(calls / jobs).toFixed(2)} |`);
  }
  console.log(`| sqs | SendMessage (webhook → queues) | ${sqsSends} | ${(sqsSends / jobs).toFixed(2)} |`);
  total += sqsSends;
  console.log(`| **all** | | ${total} | **${(total / jobs).toFixed(2)}** |`);
  console.log(
    `\nGitHub calls (twin): ${registry.calls.length} (${(registry.calls.length / jobs).toFixed(2)} per job)`,
  );

  await ec2.close();
  await ssm.stop();
  await dynamo.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
