import { jobStreamId } from '../job/job.decider';
import { poolStreamId } from '../pool/pool.decider';
import type { RecentJobView } from '../scaling/unseen-starts';
import { toMillis, type IsoTime } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import { openJobs } from './heads';

/**
 * The jobs that may be running on a runner our records call idle: those routed within the
 * busy flag's lag (below), and every open job whose recorded start names a runner (the
 * stream index, one query): that runner's own record may not show it yet, when the job-events
 * message of its `in_progress` failed half-way. Read only when a runner is about to go.
 */
export async function jobsThatMayHoldRunners(
  deps: ScalerDeps,
  now: IsoTime,
  seconds: number,
): Promise<readonly RecentJobView[]> {
  const started = (await openJobs(deps))
    .filter((job) => job.status === 'in_progress' && typeof job.runnerName === 'string')
    .map((job): RecentJobView => ({
      info: job,
      status: job.status,
      runnerName: job.runnerName ?? null,
      startedAt: job.startedAt ?? null,
    }));
  return [...(await recentJobs(deps, now, seconds)), ...started];
}

/**
 * The jobs routed to any pool within the last `seconds` (a slot reserved for them, or a place
 * on a waiting list), read consistently from the pool and job streams. Scale-down reads them
 * only in a cycle that would retire an idle runner: within GitHub's busy-flag lag, such a job
 * may have started on that runner with its `in_progress` not recorded yet.
 */
export async function recentJobs(
  deps: ScalerDeps,
  now: IsoTime,
  seconds: number,
): Promise<readonly RecentJobView[]> {
  const since = toMillis(now) - seconds * 1000;
  const recent = (at: IsoTime): boolean => toMillis(at) >= since;
  const jobIds = new Set<string>();
  for (const pool of deps.settings.pools) {
    const { state } = await read(deps, deps.streams.pool, poolStreamId(pool.id));
    for (const slot of Object.values(state.slots))
      if (slot.jobId !== null && recent(slot.at)) jobIds.add(slot.jobId);
    for (const [jobId, waiting] of Object.entries(state.waiting ?? {}))
      if (recent(waiting.since)) jobIds.add(jobId);
  }
  const views: RecentJobView[] = [];
  for (const jobId of jobIds) {
    const { state } = await read(deps, deps.streams.job, jobStreamId(jobId));
    if (state.status === 'unknown') {
      views.push({ info: null, status: 'unknown', runnerName: null, startedAt: null });
      continue;
    }
    const started = state.status === 'queued' ? null : state;
    views.push({
      info: state.info,
      status: state.status,
      runnerName: started?.runnerName ?? null,
      startedAt: started?.startedAt ?? null,
    });
  }
  return views;
}
