import { listWaiting } from '../read/queries';
import { waitingMetrics } from '../read/waiting';
import { WAIT_REASON_CODES } from '../read/wait-reason-types';
import type { ReconcileDeps } from './deps';

/**
 * Publishes why jobs wait, as the `hangar` CLI states it: `JobsWaiting{reason}` for every
 * reason code but `unroutable` (zeros included, so an alarm sees 0 rather than missing data) and
 * `OldestJobWaitSeconds{pool}` for each pool with a waiting job (`-` for jobs no pool has taken
 * yet). Run by the reconciler, which reads the open jobs anyway; costs one read per waiting
 * job and per latest runner. Returns how many jobs wait.
 */
export async function publishWaitingMetrics(deps: ReconcileDeps): Promise<number> {
  const waiting = await listWaiting(deps, deps.clock.now());
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
