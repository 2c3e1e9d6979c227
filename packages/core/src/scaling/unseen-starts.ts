import type { PoolConfig } from '../config/pool-config';
import { labelsMatch, poolServesRepository } from './label-matching';
import type { IsoTime } from '../shared/brand';
import type { JobStatus } from './views';

/** A job routed within the busy flag's lag, as scale-down sees it. */
export interface RecentJobView {
  /** Null when its `queued` was never recorded (the job stream holds only later facts). */
  readonly info: { readonly owner: string; readonly repo: string; readonly labels: readonly string[] } | null;
  readonly status: JobStatus | 'unknown';
  /** The runner its recorded start names (null: not started, or GitHub did not say). */
  readonly runnerName: string | null;
  /** When it started (null: not started, or not known). */
  readonly startedAt: IsoTime | null;
}

/**
 * Which idle runners of a pool may be running one of the jobs unseen: any of them, or those
 * named by a recorded start (with the latest such start, null when not known).
 */
export type UnseenStarts = {
  readonly anyRunner: boolean;
  readonly runnerNames: ReadonlyMap<string, IsoTime | null>;
};

/**
 * May one of these jobs be running, unseen, on an idle runner of `pool`? A completed job runs
 * nowhere. A started one runs on the runner its start names (whose own record may not show it
 * yet, if the job-events message failed half-way). Any other may have been given by GitHub to
 * any online idle runner whose labels hold all of the job's, whatever pool Hangar routed it
 * to, within the pool's scope; a job we know nothing of may be anywhere.
 */
export function unseenStarts(pool: PoolConfig, recent: readonly RecentJobView[]): UnseenStarts {
  const runnerNames = new Map<string, IsoTime | null>();
  let anyRunner = false;
  for (const job of recent) {
    if (job.status === 'completed') continue;
    if (job.status === 'in_progress' && job.runnerName !== null) {
      const known = runnerNames.get(job.runnerName);
      const later =
        known === undefined || (known !== null && (job.startedAt === null || job.startedAt > known));
      if (later) runnerNames.set(job.runnerName, job.startedAt);
      continue;
    }
    const served =
      job.info === null ||
      (poolServesRepository(pool, job.info.owner, job.info.repo) &&
        labelsMatch(job.info.labels, pool.labels, 'subset'));
    if (served) anyRunner = true;
  }
  return { anyRunner, runnerNames };
}
