import type { ComputeKind, ScalerSettings } from '../config/pool-config';
import type { ComputeProvider } from '../ports/compute-provider';
import type { EventStore, SnapshotStore, StreamIndex } from '../ports/event-store';
import type { MessageQueue } from '../ports/message-queue';
import type { RunnerRegistry, RunnerReleaseSource, WebhookRecovery } from '../ports/runner-registry';
import type { BinaryStore, Clock, IdGenerator, Logger, Metrics } from '../ports/runtime';
import type { SecretStore } from '../ports/secret-store';
import type { StreamHistory } from '../ports/stream-history';
import type { JobEventMessage, ScaleUpMessage } from './messages';
import type { RecentStreams } from './recent-streams';
import type { Streams } from './streams';
import { DEFAULT_BUSY_FLAG_LAG_SECONDS } from '../scaling/scale-down';

/** Tunables of the use cases that are not per pool. */
export interface ScalerOptions {
  /** Delay before a queued job is served (SQS delay, 0–900 s). */
  readonly scaleUpDelaySeconds: number;
  /** How long to wait before asking again when a pool is at its maximum. */
  readonly maxRunnersRetrySeconds: number;
  /** Instances/slots/secrets of unknown or ended runners are cleaned after this long. */
  readonly orphanGraceMinutes: number;
  /** GitHub calls the reconciler may spend on redelivering failed webhooks per run. */
  readonly recoveryMaxGitHubCalls: number;
  /** How far back the reconciler looks for failed webhook deliveries. */
  readonly recoveryLookbackMinutes: number;
  /** Where reusable runners register (https://github.com, or the GHES web URL). */
  readonly githubWebUrl: string;
  /**
   * How long a registration claim keeps other invocations off the step (see
   * registration-step.ts). Above the scale-up function's timeout (60 s by default), so a live
   * holder is never taken over; below the scale-up queue's visibility timeout (6× that), so the
   * holder's own message, back after a crash, takes the step over.
   */
  readonly registrationLeaseSeconds: number;
  /**
   * How long after a runner's last launch call a removal without a recorded machine keeps its
   * slot and looks the machine up again (see launch-step.ts): longer than any invocation can run
   * (Lambda's maximum is 15 minutes), plus the seconds EC2 and ECS listings lag behind.
   */
  readonly launchSettleSeconds: number;
  /**
   * A pool's job-queued check asks GitHub only for a job queued at least this long (or one the
   * reconciler requests again): sooner, a cancellation is on the job stream already (its
   * webhook), and a lost one is redelivered by the reconciler's recovery every few minutes.
   */
  readonly jobQueuedCheckAfterSeconds: number;
  /**
   * Jobs a pool's waiting list holds (see pool-slots.ts); beyond it a job refused at the
   * maximum asks again every `maxRunnersRetrySeconds`. Bounds the pool snapshot's size.
   */
  readonly maxWaitingJobsPerPool: number;
  /**
   * How long GitHub's `busy` flag may lag behind a job's start (scaling/scale-down.ts): an idle
   * runner is retired only once it has been available this long, and not while a job routed
   * within it may have started on it unrecorded.
   */
  readonly busyFlagLagSeconds: number;
}

export const DEFAULT_SCALER_OPTIONS: ScalerOptions = {
  scaleUpDelaySeconds: 0,
  maxRunnersRetrySeconds: 30,
  orphanGraceMinutes: 10,
  recoveryMaxGitHubCalls: 20,
  recoveryLookbackMinutes: 60,
  githubWebUrl: 'https://github.com',
  registrationLeaseSeconds: 120,
  launchSettleSeconds: 960,
  jobQueuedCheckAfterSeconds: 600,
  maxWaitingJobsPerPool: 1000,
  busyFlagLagSeconds: DEFAULT_BUSY_FLAG_LAG_SECONDS,
};

/** Everything the use cases need, as ports. Built once by the composition root. */
export interface ScalerDeps {
  readonly eventStore: EventStore;
  readonly snapshots: SnapshotStore;
  readonly index: StreamIndex;
  readonly streams: Streams;
  /** The compute provider for a pool's compute kind. */
  readonly compute: (kind: ComputeKind) => ComputeProvider;
  readonly registry: RunnerRegistry;
  readonly secrets: SecretStore;
  readonly scaleUpQueue: MessageQueue<ScaleUpMessage>;
  readonly jobEventsQueue: MessageQueue<JobEventMessage>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly settings: ScalerSettings;
  readonly options: ScalerOptions;
  /** Waits between optimistic-concurrency retries. */
  readonly backoff?: (attempt: number) => Promise<void>;
  /**
   * Streams as this warm process last read or wrote them (recent-streams.ts); absent, every
   * decision not handed a known state reads its stream.
   */
  readonly recent?: RecentStreams;
}

export interface ReconcileDeps extends ScalerDeps {
  /** GitHub's App delivery log: failed deliveries found and redelivered. */
  readonly recovery: WebhookRecovery;
  /**
   * Events read by key in batches, for the waiting metrics (read-only; no decision uses it).
   * Absent: they read each waiting job's and runner's stream.
   */
  readonly history?: StreamHistory;
}

/** Scale-down reads GitHub's delivery log too before it deletes an idle runner (failed-deliveries.ts). */
export type ScaleDownDeps = ReconcileDeps;

export interface BinariesDeps {
  readonly releases: RunnerReleaseSource;
  readonly binaries: BinaryStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
}
