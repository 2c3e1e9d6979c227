import type * as z from 'zod/mini';
import { createEventStoreClient, createEventStoreTable } from '@hangar/adapter-aws';
import { startDynamoDbLocal } from '@hangar/test-support';
import { startEc2Emulator, type Ec2EmulatorHandle } from '@hangar/test-support/aws/ec2';
import { startEcsEmulator, type EcsEmulatorHandle } from '@hangar/test-support/aws/ecs';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { startFakeGitHub, type FakeApp, type FakeGitHub } from '@hangar/test-support/github';
import { IndexLag } from '@hangar/core/testing/index-lag';
import type { poolSchema } from '../config/pools-schema';
import { startAwsProxy, type AwsProxy } from './aws-proxy';
import { countAppendedEvents } from './dynamodb-events-counter';
import { DynamoDbCallCounter } from './dynamodb-breakdown';
import { InvocationGate } from './invocation-gate';
import type { SimulatedClock } from './sim-clock';
import { DelayBook } from './sqs-driver';
import { simulatedSqsDelays } from './sqs-sim-delays';
import { SqsWire } from './sqs-wire';
import { SsmWire } from './ssm-wire';

/** A runner configuration as an operator writes it in the pools JSON. */
export type PoolInput = z.input<typeof poolSchema>;

export interface InfrastructureOptions {
  readonly clock: SimulatedClock;
  readonly pools: readonly PoolInput[];
  /** Repositories (`owner/name`) that exist on the fake GitHub; the App is installed on their owners. */
  readonly repos: readonly string[];
  /** An already running DynamoDB Local (the jest global setup's); otherwise one is started. */
  readonly dynamoDbEndpoint?: string;
  /** GitHub reports a freshly assigned runner as idle for this long (simulated ms). */
  readonly runnerBusyLagMs?: number;
  /** Receives after which SQS moves a message to its DLQ. */
  readonly maxReceiveCount?: number;
  /**
   * The event store's GSIs lag its appends by this many simulated seconds, as DynamoDB's may
   * (an index-lag fault over the real adapter, shared by every function; stream reads stay
   * consistent). Off by default.
   */
  readonly indexLagSeconds?: number;
}

export interface QueuePair {
  /** The URL the handlers use (through the SQS proxy). */
  readonly url: string;
  /** The emulator's own URL of the queue (what the event-source mapping polls). */
  readonly emulatorUrl: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

/** Everything the local control plane runs against, all on 127.0.0.1. */
export interface LocalInfrastructure {
  readonly region: string;
  readonly fake: FakeGitHub;
  readonly app: FakeApp;
  readonly webhookSecret: string;
  readonly ec2: Ec2EmulatorHandle;
  readonly ecs: EcsEmulatorHandle;
  readonly ssm: SsmEmulator;
  readonly sqs: SqsS3Emulator;
  readonly sqsWire: SqsWire;
  /** The runners' own SSM access (not Hangar's calls). */
  readonly runnerSsm: SsmWire;
  readonly dynamoDbEndpoint: string;
  readonly tableName: string;
  readonly bucket: string;
  /** What the handlers talk to: counting pass-throughs in front of each emulator. */
  readonly proxies: Readonly<Record<'dynamodb' | 'sqs' | 's3' | 'ec2' | 'ecs' | 'ssm', AwsProxy>>;
  readonly queues: { readonly scaleUp: QueuePair; readonly jobEvents: QueuePair };
  readonly delays: DelayBook;
  /** Lambda's timeout: every handler invocation runs through it, every outbound call is checked. */
  readonly invocations: InvocationGate;
  /** The handlers' DynamoDB calls by handler × operation × what they touched. */
  readonly dynamoDbCalls: DynamoDbCallCounter;
  eventsWritten(): number;
  /** The index-lag fault every function's event store goes through, when `indexLagSeconds` is set. */
  readonly indexLag: IndexLag | null;
  readonly parameters: { readonly pools: string; readonly apps: string; readonly webhookSecret: string };
  close(): Promise<void>;
}

/** Emulators accept any credentials; the SDK still wants some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Real-time visibility of in-flight messages; the driver handles simulated visibility itself. */
const REAL_VISIBILITY_SECONDS = 43_200;

async function createQueuePair(sqs: SqsS3Emulator, wire: SqsWire, name: string, maxReceiveCount: number) {
  const dlqUrl = await sqs.createQueue(`${name}-dlq`);
  const dlqArn = await wire.queueArn(dlqUrl);
  const url = await sqs.createQueue(name, {
    VisibilityTimeout: String(REAL_VISIBILITY_SECONDS),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
  });
  return { url, arn: await wire.queueArn(url), dlqUrl };
}

/**
 * Starts the emulators and the fake GitHub, creates the queues (with DLQs), the bucket, the
 * launch templates, clusters and task definitions the pools name, and writes the pools, App
 * and webhook secret parameters. Every clock is the simulated one.
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<LocalInfrastructure> {
  const { clock } = options;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const dynamo = options.dynamoDbEndpoint ? null : await startDynamoDbLocal();
    if (dynamo) closers.push(() => dynamo.stop());
    const dynamoDbEndpoint = options.dynamoDbEndpoint ?? (dynamo as { endpoint: string }).endpoint;
    // One table per control plane: several may share a DynamoDB Local (the jest run's).
    const tableName = `hangar-local-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const tableClient = createEventStoreClient({
      region: 'us-east-1',
      endpoint: dynamoDbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    await createEventStoreTable(tableClient, tableName);
    tableClient.destroy();

    const fake = await startFakeGitHub({
      now: () => clock.nowMs(),
      // The GitHub adapter signs App JWTs and times its token cache on the runtime's clock,
      // which here is the simulated one; the fake checks them on the same clock.
      authNow: () => clock.nowMs(),
      assignment: 'auto',
      ...(options.runnerBusyLagMs ? { runnerBusyLagMs: options.runnerBusyLagMs } : {}),
    });
    closers.push(() => fake.close());
    const app = fake.addApp();
    const owners = new Set<string>();
    for (const repo of options.repos) {
      fake.addRepo(repo);
      owners.add(repo.split('/')[0] as string);
    }
    for (const owner of owners) fake.install(app.appId, owner);

    const ec2 = await startEc2Emulator({ clock: () => clock.date(), advanceOnDescribe: false });
    closers.push(() => ec2.close());
    const ecs = await startEcsEmulator({ clock: () => clock.date(), advanceOnDescribe: false });
    closers.push(() => ecs.close());
    const ssm = await startSsmEmulator({ nowMs: () => clock.nowMs() });
    closers.push(() => ssm.stop());
    const sqs = await startSqsS3();
    closers.push(() => sqs.stop());
    const sqsWire = new SqsWire(sqs.endpoint);

    for (const pool of options.pools) {
      // The template carries the runner AMI, as the Terraform module's templates do; the
      // pool's subnets exist, one zone each (the module's VPC inputs).
      if (pool.compute.kind === 'ec2') {
        ec2.addLaunchTemplate({ name: pool.compute.launchTemplateName, imageId: 'ami-0123456789abcdef0' });
        pool.compute.subnetIds.forEach((id, i) => ec2.addSubnet(id, `us-east-1${'abcdef'[i % 6] ?? 'a'}`));
      } else {
        ecs.createCluster(pool.compute.cluster);
        ecs.registerTaskDefinition(pool.compute.taskDefinition, { containers: [pool.compute.containerName] });
      }
    }

    const maxReceiveCount = options.maxReceiveCount ?? 5;
    const scaleUp = await createQueuePair(sqs, sqsWire, 'hangar-scale-up', maxReceiveCount);
    const jobEvents = await createQueuePair(sqs, sqsWire, 'hangar-job-events', maxReceiveCount);
    const bucket = 'hangar-runner-binaries';
    await sqs.createBucket(bucket);

    const delays = new DelayBook();
    const events = countAppendedEvents();
    const queueAliases = new Map<string, string>();
    const sqsProxy = await startAwsProxy(sqs.endpoint, simulatedSqsDelays(clock, delays, queueAliases));
    closers.push(() => sqsProxy.close());
    const alias = (pair: { url: string; arn: string; dlqUrl: string }): QueuePair => {
      const url = `${sqsProxy.endpoint}${pair.url.replace(/^https?:\/\/[^/]+/, '')}`;
      queueAliases.set(url, pair.url);
      return { ...pair, url, emulatorUrl: pair.url };
    };
    const proxies = {
      dynamodb: await startAwsProxy(dynamoDbEndpoint, events.hooks),
      sqs: sqsProxy,
      s3: await startAwsProxy(sqs.endpoint),
      ec2: await startAwsProxy(ec2.endpoint),
      ecs: await startAwsProxy(ecs.endpoint),
      ssm: await startAwsProxy(ssm.endpoint),
    };
    for (const proxy of Object.values(proxies)) if (proxy !== sqsProxy) closers.push(() => proxy.close());

    const runnerSsm = new SsmWire(ssm.endpoint);
    const setupSsm = new SsmWire(ssm.endpoint);
    const parameters = {
      pools: '/hangar/config/pools',
      apps: '/hangar/config/github-apps',
      webhookSecret: '/hangar/config/webhook-secret',
    };
    const webhookSecret = `local-webhook-secret-${Math.random().toString(36).slice(2)}`;
    await setupSsm.put(parameters.pools, JSON.stringify(options.pools), 'String');
    await setupSsm.put(parameters.apps, JSON.stringify([{ appId: app.appId, privateKey: app.privateKey }]));
    // As the Terraform module writes it: a JSON list of secrets, current first.
    await setupSsm.put(parameters.webhookSecret, JSON.stringify([webhookSecret]));

    return {
      region: 'us-east-1',
      fake,
      app,
      webhookSecret,
      ec2,
      ecs,
      ssm,
      sqs,
      sqsWire,
      runnerSsm,
      dynamoDbEndpoint,
      tableName,
      bucket,
      proxies,
      queues: { scaleUp: alias(scaleUp), jobEvents: alias(jobEvents) },
      delays,
      invocations: new InvocationGate(),
      dynamoDbCalls: new DynamoDbCallCounter(),
      eventsWritten: events.count,
      indexLag:
        options.indexLagSeconds === undefined
          ? null
          : new IndexLag({ lagMs: options.indexLagSeconds * 1000, now: () => clock.nowMs() }),
      parameters,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: (() => Promise<unknown>)[]): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      // Best effort: one emulator failing to stop must not keep the others running.
    }
  }
}
