import type { IsoTime, JobId } from '../shared/brand';
import type { RunnerRequestView } from '../scaling/views';
import type { JobInfo, RerunRefusalReason, UnroutableReason } from './job.events';

/** What every known job carries. `info` is null when `queued` was never delivered. */
interface JobCommon {
  readonly info: JobInfo | null;
  readonly queuedAt: IsoTime | null;
  readonly requests: readonly RunnerRequestView[];
  readonly lastRejectedAt: IsoTime | null;
  /** When the runner it ran on was warned of a spot interruption (null: never). */
  readonly interruptedAt: IsoTime | null;
}

export type JobState =
  | { readonly status: 'unknown' }
  | (JobCommon & {
      readonly status: 'queued';
      readonly waiting: boolean;
      readonly unroutable: UnroutableReason | null;
    })
  | (JobCommon & {
      readonly status: 'in_progress';
      readonly runnerName: string | null;
      readonly startedAt: IsoTime;
    })
  | (JobCommon & {
      readonly status: 'completed';
      readonly conclusion: string;
      readonly runnerName: string | null;
      readonly startedAt: IsoTime | null;
      readonly completedAt: IsoTime;
      readonly rerunRequested: boolean;
      /** GitHub refused the rerun for good (the job is then done). */
      readonly rerunRefused: RerunRefusalReason | null;
      /** GitHub could not rerun it yet; the reconciler keeps asking. */
      readonly rerunDeferred: boolean;
    });

export const initialJobState: JobState = { status: 'unknown' };

export type KnownJobState = Exclude<JobState, { status: 'unknown' }>;

export const emptyCommon: JobCommon = {
  info: null,
  queuedAt: null,
  requests: [],
  lastRejectedAt: null,
  interruptedAt: null,
};

/** The job's id when known. */
export function jobIdOf(state: JobState): JobId | null {
  return state.status === 'unknown' ? null : (state.info?.jobId ?? null);
}

/**
 * Was the job killed by its runner's interruption? It did not succeed, and it completed at or
 * after the warning (a job that failed before the warning failed on its own). Both facts may
 * arrive in either order; the answer depends only on their times.
 */
export function killedByInterruption(state: JobState): boolean {
  return (
    state.status === 'completed' &&
    state.interruptedAt !== null &&
    state.conclusion !== 'success' &&
    !(Date.parse(state.completedAt) < Date.parse(state.interruptedAt))
  );
}
