import { toMillis, type IsoTime, type JobId, type PoolId } from '../shared/brand';
import type { JobHistory, RunnerHistory } from './histories';
import { waitReason } from './wait-reason';
import type { WaitReason, WaitReasonCode } from './wait-reason-types';

/** A job waiting for a runner, with the reason, for `hangar waiting` and the waiting metrics. */
export interface WaitingJob {
  readonly jobId: JobId;
  readonly owner: string;
  readonly repo: string;
  readonly name: string;
  readonly labels: readonly string[];
  readonly queuedAt: IsoTime;
  readonly waitedSeconds: number;
  /** The pool the job was routed to, once scale-up decided (null before, or when unroutable). */
  readonly poolId: PoolId | null;
  readonly reason: WaitReason;
}

/** The waiting job, or null when the job is not waiting (started, completed, never queued). */
export function waitingJob(
  job: JobHistory,
  runners: readonly RunnerHistory[],
  now: IsoTime,
): WaitingJob | null {
  const state = job.state;
  if (state.status !== 'queued' || state.info === null) return null;
  const reason = waitReason(job, runners);
  if (!reason) return null;
  const queuedAt = state.queuedAt ?? now;
  return {
    jobId: job.jobId,
    owner: state.info.owner,
    repo: state.info.repo,
    name: state.info.name,
    labels: state.info.labels,
    queuedAt,
    waitedSeconds: Math.max(0, (toMillis(now) - toMillis(queuedAt)) / 1000),
    poolId: 'poolId' in reason ? reason.poolId : (state.requests.at(-1)?.poolId ?? null),
    reason,
  };
}

/** Longest wait first; ties by job id so the order is stable. */
export function byLongestWait(jobs: readonly WaitingJob[]): WaitingJob[] {
  return [...jobs].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.jobId.localeCompare(b.jobId));
}

/** What the waiting metrics publish: jobs per reason, and the oldest wait per pool (`-` for not routed yet). */
export function waitingMetrics(jobs: readonly WaitingJob[]): {
  readonly byReason: ReadonlyMap<WaitReasonCode, number>;
  readonly oldestSecondsByPool: ReadonlyMap<string, number>;
} {
  const byReason = new Map<WaitReasonCode, number>();
  const oldestSecondsByPool = new Map<string, number>();
  for (const job of jobs) {
    byReason.set(job.reason.code, (byReason.get(job.reason.code) ?? 0) + 1);
    const pool = job.poolId ?? '-';
    oldestSecondsByPool.set(pool, Math.max(oldestSecondsByPool.get(pool) ?? 0, job.waitedSeconds));
  }
  return { byReason, oldestSecondsByPool };
}
