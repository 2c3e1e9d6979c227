import type { InstanceId, IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';

/** Where a runner is in its life (see runner/runner.state.ts). */
export type RunnerStatus =
  'requested' | 'launching' | 'launched' | 'idle' | 'busy' | 'terminating' | 'terminated' | 'launch_failed';

/** What policies know of one runner: a projection of its stream, kept in the stream index. */
export interface RunnerView {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly status: RunnerStatus;
  readonly ephemeral: boolean;
  /** The job this runner was requested for (null for pool top-up runners). */
  readonly requestedForJobId: JobId | null;
  /** The job it is running now (busy only). GitHub may give it any matching job. */
  readonly currentJobId: JobId | null;
  readonly requestedAt: IsoTime;
  readonly launchedAt: IsoTime | null;
  /**
   * When its config reached the secret store (null: not yet; absent in heads written before
   * this field existed). A machine can only boot from then on.
   */
  readonly configDeliveredAt?: IsoTime | null;
  /** When it last became idle (registered and without a job). */
  readonly idleSince: IsoTime | null;
  /** GitHub has seen it online (or it ran a job). */
  readonly online: boolean;
  readonly instanceId: InstanceId | null;
  readonly runnerName: string | null;
  readonly githubRunnerId: number | null;
  /** Set once termination was requested. */
  readonly terminationReason: string | null;
  /** Jobs it has run (a runner requested for one job may run another: GitHub picks). */
  readonly jobsRun?: number;
  /**
   * Launch attempts that failed, retried or final, and when the latest did (absent on heads
   * written before these fields: `hangar pools` then reads that runner's events instead).
   */
  readonly launchFailures?: number;
  readonly lastLaunchFailureAt?: IsoTime | null;
}

export type JobStatus = 'queued' | 'waiting' | 'in_progress' | 'completed';

/** One runner request made for a job. */
export interface RunnerRequestView {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly attempt: number;
  readonly at: IsoTime;
}

/** What policies know of one workflow job. */
export interface JobView {
  readonly jobId: JobId;
  readonly status: JobStatus;
  readonly owner: string;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly queuedAt: IsoTime;
  readonly requests: readonly RunnerRequestView[];
  /** Set when no pool may serve it (recorded, not retried). */
  readonly unroutable: 'no-matching-pool' | 'repository-not-allowed' | null;
  /** The last time scale-up said no (max runners reached, launch failed). */
  readonly lastRejectedAt: IsoTime | null;
  /**
   * The runner its recorded start names (in_progress only; null when GitHub did not say;
   * absent in heads written before it existed).
   */
  readonly runnerName?: string | null;
  /** When it started (in_progress only; absent in heads written before it existed). */
  readonly startedAt?: IsoTime;
}

/** A machine the compute provider reports (EC2 instance or Fargate task). */
export interface ComputeInstanceView {
  readonly instanceId: InstanceId;
  /** From the `hangar:runner-id` tag; null when untagged (not ours to judge). */
  readonly runnerId: RunnerId | null;
  readonly poolId: PoolId | null;
  readonly state: 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated';
  readonly launchedAt: IsoTime;
}

/** A runner registration GitHub reports. */
export interface RegisteredRunnerView {
  readonly githubRunnerId: number;
  readonly name: string;
  readonly status: 'online' | 'offline';
  readonly busy: boolean;
  readonly labels: readonly string[];
}
