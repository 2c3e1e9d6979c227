import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { CallBounds } from '@hangar/adapter-github';
import type { Clock, EventStore, IdGenerator, SnapshotStore, StreamIndex } from '@hangar/core';

/** The event store the use cases get: events, snapshots and the stream index. */
export type ScalerEventStore = EventStore & SnapshotStore & StreamIndex;

export type AwsService = 'dynamodb' | 'sqs' | 'ssm' | 's3' | 'ec2' | 'ecs';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  readonly s3: S3Client;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
}

/**
 * What a caller other than the Lambda runtime changes: the local control plane and the
 * tests point the same composition at emulators, a fake GitHub and a simulated clock.
 * Nothing here is needed on AWS, where the SDK reads region and credentials itself.
 */
export interface RuntimeOverrides {
  readonly aws?: {
    readonly region?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    /** Per-service endpoint, e.g. `{ ssm: 'http://127.0.0.1:4100' }`. */
    readonly endpoints?: Partial<Readonly<Record<AwsService, string>>>;
    /** Ready-made SDK clients; win over endpoints. */
    readonly clients?: Partial<AwsClients>;
  };
  /** GitHub REST API root (a fake GitHub's `http://127.0.0.1:PORT`); wins over HANGAR_GITHUB_API_URL. */
  readonly githubBaseUrl?: string;
  /** Where the runner releases are read (default api.github.com, even for GHES). */
  readonly releasesBaseUrl?: string;
  /** Retry and throttling bounds of the GitHub clients (tests shorten the waits). */
  readonly githubBounds?: Partial<CallBounds>;
  /**
   * Called before every outbound AWS request attempt and GitHub fetch; throwing refuses the call.
   * The local control plane stops timed-out invocations here, as Lambda freezes them, and
   * classifies DynamoDB calls by their input (the demo's per-handler breakdown). `input` is the
   * SDK command's input for AWS calls, absent for GitHub.
   */
  readonly beforeCall?: (target: string, input?: unknown) => void;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /**
   * Applied to every AWS SDK client the composition builds (not to ready-made `aws.clients`):
   * the X-Ray tracer's capture when tracing is on (lambda-entry.ts).
   */
  readonly instrumentClient?: <C extends object>(client: C) => C;
  /** Waits between optimistic-concurrency retries (default: core's). */
  readonly backoff?: (attempt: number) => Promise<void>;
  /**
   * Wraps the DynamoDB event store the use cases get: the local control plane adds an
   * index-lag fault (its GSIs lagging as DynamoDB's may), shared by every function.
   */
  readonly eventStore?: (store: ScalerEventStore) => ScalerEventStore;
}
