import { localEnvironment } from '@hangar/runtime-lambda/local/control-plane-options';
import { startInfrastructure, type PoolInput } from '@hangar/runtime-lambda/local/infrastructure';
import { SimulatedClock } from '@hangar/runtime-lambda/local/sim-clock';
import { localWebhookFunction } from '@hangar/runtime-lambda/local/webhook-function';
import type { DependencyFault } from './cases';
import { ROUTABLE_LABELS } from './payload';

/** The one runner configuration the fuzzed webhook routes to. */
export const FUZZ_POOL: PoolInput = {
  id: 'fuzz',
  labels: [...ROUTABLE_LABELS],
  owner: 'acme',
  maxRunners: 5,
  compute: {
    kind: 'ec2',
    launchTemplateName: 'lt-fuzz',
    subnetIds: ['subnet-0a1b2c3d'],
    instanceTypes: ['m7i.large'],
  },
};

const DYNAMODB_WRITES = ['TransactWriteItems', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].map(
  (operation) => `dynamodb.${operation}`,
);
const SQS_SENDS = ['SendMessage', 'SendMessageBatch'].map((operation) => `sqs.${operation}`);

/** What one invocation did. */
export interface Outcome {
  readonly status: number | null;
  readonly threw: unknown;
  /** DynamoDB writes and SQS sends it made. */
  readonly writes: number;
  readonly sends: number;
  /** Every DynamoDB and SQS call it made (reads included). */
  readonly calls: number;
}

export interface FuzzTarget {
  readonly secret: string;
  /** One invocation; several may run at once (each one's calls are attributed to it). */
  invoke(event: unknown): Promise<Outcome>;
  /** Every DynamoDB or SQS call fails (each SDK attempt) until `clearFaults`. */
  inject(fault: DependencyFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** Runs `work` with stdout/stderr muted (Powertools writes an EMF line per invocation). */
export async function muted<T>(work: () => Promise<T>): Promise<T> {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams) stream.write = (() => true) as typeof stream.write;
  try {
    return await work();
  } finally {
    streams.forEach((stream, i) => (stream.write = writes[i] as typeof stream.write));
  }
}

/**
 * The webhook function as its bundle composes it, against DynamoDB Local, fauxqs and the SSM
 * emulator behind the counting proxies, with the configuration read from SSM at cold start.
 * Each invocation runs through the local control plane's invocation gate, which lists the
 * calls it makes (`dynamodb.TransactWriteItems`, `sqs.SendMessageBatch`, …).
 */
export async function startFuzzTarget(dynamoDbEndpoint?: string): Promise<FuzzTarget> {
  const clock = new SimulatedClock();
  const infrastructure = await startInfrastructure({
    clock,
    pools: [FUZZ_POOL],
    repos: ['acme/web'],
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
  });
  const handler = await localWebhookFunction(infrastructure, clock, localEnvironment(infrastructure));
  const { dynamodb, sqs } = infrastructure.proxies;
  return {
    secret: infrastructure.webhookSecret,
    async invoke(event) {
      const log: string[] = [];
      let status: number | null = null;
      let threw: unknown = null;
      try {
        const run = () => handler(event as Parameters<typeof handler>[0]);
        const result = await infrastructure.invocations.run('webhook', 30_000, run, log);
        status = result.statusCode ?? null;
      } catch (error) {
        threw = error ?? 'undefined thrown';
      }
      const aws = log.filter((call) => call.startsWith('dynamodb.') || call.startsWith('sqs.'));
      return {
        status,
        threw,
        writes: aws.filter((call) => DYNAMODB_WRITES.includes(call)).length,
        sends: aws.filter((call) => SQS_SENDS.includes(call)).length,
        calls: aws.length,
      };
    },
    inject(fault) {
      const times = 1_000;
      if (fault === 'sqs-5xx')
        sqs.faults.add('*', { kind: 'error', status: 500, code: 'InternalFailure' }, times);
      else if (fault === 'dynamodb-5xx')
        dynamodb.faults.add('*', { kind: 'error', status: 500, code: 'InternalServerError' }, times);
      else
        dynamodb.faults.add(
          '*',
          { kind: 'error', status: 400, code: 'ProvisionedThroughputExceededException' },
          times,
        );
    },
    clearFaults() {
      dynamodb.faults.clear();
      sqs.faults.clear();
    },
    close: () => infrastructure.close(),
  };
}
