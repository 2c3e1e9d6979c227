import { listWaiting } from '../read/queries';
import { waitingMetrics } from '../read/waiting';
import { WAIT_REASON_CODES } from '../read/wait-reason-types';
import type { StreamHeadRecord } from '../ports/event-store';
import type { ReconcileDeps } from './deps';

/**
 * Publishes why jobs wait, as the `hangar` CLI states it: `JobsWaiting{reason}` for every
 * reason code but `unroutable` (zeros included, so an alarm sees 0 rather than missing data) and
 * `OldestJobWaitSeconds{pool}` for each pool with a waiting job (`-` for jobs no pool has taken
 * yet). Run by the reconciler, which lists the open jobs anyway (`openJobs`). With the deps'
 * `history`, the waiting jobs' events and their latest runners are read by key in batches (a
 * few calls however many jobs wait); without it, one read per waiting job and per latest runner.
 * Returns how many jobs wait.
 */
export async function publishWaitingMetrics(
  deps: ReconcileDeps,
  openJobs?: readonly StreamHeadRecord[],
): Promise<number> {
  const waiting = await listWaiting(deps, deps.clock.now(), openJobs);
  const { byReason, oldestSecondsByPool } = waitingMetrics(waiting);
  for (const reason of WAIT_REASON_CODES) {
    // An unroutable job's stream closes: it is never listed as waiting, so it gets no series.
    if (reason !== 'unroutable')
      deps.metrics.add('JobsWaiting', byReason.get(reason) ?? 0, 'Count', { reason });
  }
  for (const [pool, seconds] of oldestSecondsByPool) {
    deps.metrics.add('OldestJobWaitSeconds', Math.round(seconds), 'Seconds', { pool });
  }
  return waiting.length;
}
