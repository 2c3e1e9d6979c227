import type { RunnerNeedReason } from '../scaling/reconcile';
import type { IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';

/** What GitHub told us about the job when it was queued. */
export interface JobInfo {
  readonly jobId: JobId;
  readonly runId: string;
  readonly owner: string;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly installationId: number | null;
  readonly name: string;
}

/** Fact: GitHub reported the job queued (first delivery only; repeats are dropped). */
export type JobQueued = {
  readonly type: 'JobQueued';
  readonly data: JobInfo & { readonly queuedAt: IsoTime };
};
/** Fact: the job waits for an environment approval (GitHub may send this twice). */
export type JobWaiting = { readonly type: 'JobWaiting'; readonly data: { readonly at: IsoTime } };
/** Fact: a runner picked the job up. */
export type JobStarted = {
  readonly type: 'JobStarted';
  readonly data: {
    readonly runnerName: string | null;
    readonly githubRunnerId: number | null;
    readonly startedAt: IsoTime;
  };
};
/** Fact: the job finished (success, failure, cancelled, skipped...). */
export type JobCompleted = {
  readonly type: 'JobCompleted';
  readonly data: {
    readonly conclusion: string;
    readonly runnerName: string | null;
    readonly completedAt: IsoTime;
  };
};
/** Decision: a runner was requested for this job (one per attempt). */
export type RunnerRequestedForJob = {
  readonly type: 'RunnerRequestedForJob';
  readonly data: {
    readonly runnerId: RunnerId;
    readonly poolId: PoolId;
    readonly attempt: number;
    readonly reason: RunnerRequestReason;
    readonly requestedAt: IsoTime;
    /** Why the reconciler asked again (added after the first release: absent on older events). */
    readonly cause?: RunnerNeedReason;
  };
};
/** Decision recorded for operators: scale-up said no this time (the job stays queued). */
export type ScaleUpRejected = {
  readonly type: 'ScaleUpRejected';
  readonly data: {
    readonly poolId: PoolId;
    readonly reason: ScaleUpRejectionReason;
    readonly detail: string;
    readonly at: IsoTime;
  } & ScaleUpRejectionFacts;
};

/** Added after the first release (absent on older events): what an operator needs to see. */
export interface ScaleUpRejectionFacts {
  /** `max-runners-reached`: runners holding a slot, and the pool's maximum, when it said no. */
  readonly alive?: number;
  readonly max?: number;
  /** Scale-up stopped retrying this job (it waited past the queue limit). */
  readonly final?: boolean;
}
/** Decision recorded for operators: no pool may serve this job; it is not retried. */
export type JobUnroutable = {
  readonly type: 'JobUnroutable';
  readonly data: { readonly reason: UnroutableReason; readonly at: IsoTime };
};
/** Fact: the runner running this job was interrupted (spot reclaim). */
export type JobInterrupted = {
  readonly type: 'JobInterrupted';
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime };
};
/** Decision: ask GitHub to re-run the job that an interruption killed. */
export type JobRerunRequested = {
  readonly type: 'JobRerunRequested';
  readonly data: { readonly at: IsoTime };
};
/**
 * Fact recorded for operators: GitHub refused to re-run the interrupted job for good (its run is
 * over 30 days old, it belongs to a reusable workflow, it is gone). It is not asked again.
 */
export type JobRerunRefused = {
  readonly type: 'JobRerunRefused';
  readonly data: { readonly reason: RerunRefusalReason; readonly detail: string; readonly at: IsoTime };
};
/**
 * Fact recorded for operators, once: GitHub could not re-run the interrupted job yet (another
 * job of its run is still running). The reconciler asks again on each run until it can.
 */
export type JobRerunDeferred = {
  readonly type: 'JobRerunDeferred';
  readonly data: { readonly reason: RerunDeferralReason; readonly detail: string; readonly at: IsoTime };
};

export type RunnerRequestReason = 'queued' | 'reconcile' | 'interrupted';
export type ScaleUpRejectionReason = 'max-runners-reached' | 'launch-failed' | 'job-not-queued-on-github';
export type UnroutableReason = 'no-matching-pool' | 'repository-not-allowed';
/** Why GitHub will never re-run a job: asking again cannot help. */
export type RerunRefusalReason = 'run-too-old' | 'not-retryable' | 'job-not-found';
/** Why GitHub cannot re-run a job now: asking later can. */
export type RerunDeferralReason = 'run-in-progress';

export type JobEvent =
  | JobQueued
  | JobWaiting
  | JobStarted
  | JobCompleted
  | RunnerRequestedForJob
  | ScaleUpRejected
  | JobUnroutable
  | JobInterrupted
  | JobRerunRequested
  | JobRerunRefused
  | JobRerunDeferred;
