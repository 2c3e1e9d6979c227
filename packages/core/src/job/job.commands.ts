import type { RunnerNeedReason } from '../scaling/reconcile';
import type { IsoTime, PoolId, RunnerId } from '../shared/brand';
import type {
  JobInfo,
  RerunDeferralReason,
  RerunRefusalReason,
  RunnerRequestReason,
  ScaleUpRejectionFacts,
  ScaleUpRejectionReason,
  UnroutableReason,
} from './job.events';

/** Fact commands record what GitHub said; they are never rejected (a repeat decides `[]`). */
export type RecordJobQueued = {
  readonly type: 'RecordJobQueued';
  readonly data: JobInfo & { readonly queuedAt: IsoTime };
};
export type RecordJobWaiting = { readonly type: 'RecordJobWaiting'; readonly data: { readonly at: IsoTime } };
export type RecordJobStarted = {
  readonly type: 'RecordJobStarted';
  readonly data: {
    readonly runnerName: string | null;
    readonly githubRunnerId: number | null;
    readonly startedAt: IsoTime;
  };
};
export type RecordJobCompleted = {
  readonly type: 'RecordJobCompleted';
  readonly data: {
    readonly conclusion: string;
    readonly runnerName: string | null;
    readonly completedAt: IsoTime;
  };
};
export type RecordJobInterrupted = {
  readonly type: 'RecordJobInterrupted';
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime };
};
/** GitHub's answer to our rerun request: never possible for this job. */
export type RecordJobRerunRefused = {
  readonly type: 'RecordJobRerunRefused';
  readonly data: { readonly reason: RerunRefusalReason; readonly detail: string; readonly at: IsoTime };
};
/** GitHub's answer to our rerun request: not possible yet. */
export type RecordJobRerunDeferred = {
  readonly type: 'RecordJobRerunDeferred';
  readonly data: { readonly reason: RerunDeferralReason; readonly detail: string; readonly at: IsoTime };
};

/** Intentions: may be rejected. */
export type RequestRunnerForJob = {
  readonly type: 'RequestRunnerForJob';
  readonly data: {
    readonly runnerId: RunnerId;
    readonly poolId: PoolId;
    readonly attempt: number;
    readonly reason: RunnerRequestReason;
    readonly maxAttempts: number;
    readonly at: IsoTime;
    readonly cause?: RunnerNeedReason;
  };
};
export type RecordScaleUpRejection = {
  readonly type: 'RecordScaleUpRejection';
  readonly data: {
    readonly poolId: PoolId;
    readonly reason: ScaleUpRejectionReason;
    readonly detail: string;
    readonly at: IsoTime;
  } & ScaleUpRejectionFacts;
};
export type MarkJobUnroutable = {
  readonly type: 'MarkJobUnroutable';
  readonly data: { readonly reason: UnroutableReason; readonly at: IsoTime };
};
export type RequestJobRerun = { readonly type: 'RequestJobRerun'; readonly data: { readonly at: IsoTime } };

export type JobCommand =
  | RecordJobQueued
  | RecordJobWaiting
  | RecordJobStarted
  | RecordJobCompleted
  | RecordJobInterrupted
  | RecordJobRerunRefused
  | RecordJobRerunDeferred
  | RequestRunnerForJob
  | RecordScaleUpRejection
  | MarkJobUnroutable
  | RequestJobRerun;

/** Why an intention about a job was refused. */
export type JobRejection =
  | { readonly reason: 'job-not-queued'; readonly status: string }
  | { readonly reason: 'attempts-exhausted'; readonly attempts: number }
  | { readonly reason: 'attempt-already-made'; readonly attempt: number }
  | { readonly reason: 'rerun-not-needed'; readonly status: string };
