import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { DynamoDbEventStore, SsmParameterReader } from '@hangar/adapter-aws';
import type { AppPool } from '@hangar/adapter-github';
import type {
  BinariesDeps,
  BinaryStore,
  Clock,
  ComputeKind,
  ComputeProvider,
  IdGenerator,
  JobEventMessage,
  MessageQueue,
  ReconcileDeps,
  RunnerRegistry,
  RunnerReleaseSource,
  ScalerDeps,
  ScaleUpMessage,
  SecretStore,
  Streams,
  WebhookRecovery,
} from '@hangar/core';
import type { ServiceIdentifier } from 'inversify';
import type { RuntimeConfiguration } from '../config/load';
import type { Observability } from '../observability/observability';
import type { RuntimeOverrides } from './overrides';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`hangar.${name}`);

/** Every service the container knows, as typed symbols. Only the composition root uses them. */
export const TOKENS = {
  configuration: token<RuntimeConfiguration>('configuration'),
  overrides: token<RuntimeOverrides>('overrides'),
  clock: token<Clock>('clock'),
  ids: token<IdGenerator>('ids'),
  observability: token<Observability>('observability'),
  dynamoDbClient: token<DynamoDBClient>('aws.dynamodb'),
  sqsClient: token<SQSClient>('aws.sqs'),
  ssmClient: token<SSMClient>('aws.ssm'),
  s3Client: token<S3Client>('aws.s3'),
  ec2Client: token<EC2Client>('aws.ec2'),
  ecsClient: token<ECSClient>('aws.ecs'),
  eventStore: token<DynamoDbEventStore>('event-store'),
  streams: token<Streams>('streams'),
  parameters: token<SsmParameterReader>('parameters'),
  secrets: token<SecretStore>('secrets'),
  scaleUpQueue: token<MessageQueue<ScaleUpMessage>>('queue.scale-up'),
  jobEventsQueue: token<MessageQueue<JobEventMessage>>('queue.job-events'),
  compute: token<(kind: ComputeKind) => ComputeProvider>('compute'),
  appPool: token<AppPool>('github.app-pool'),
  registry: token<RunnerRegistry>('github.registry'),
  recovery: token<WebhookRecovery>('github.recovery'),
  releases: token<RunnerReleaseSource>('github.releases'),
  binaries: token<BinaryStore>('binaries'),
  scalerDeps: token<ScalerDeps>('deps.scaler'),
  reconcileDeps: token<ReconcileDeps>('deps.reconcile'),
  binariesDeps: token<BinariesDeps>('deps.binaries'),
} as const;
