import { toIso, toMillis, type IsoTime } from '../shared/brand';
import type { ScaleDownDeps } from './deps';

/**
 * GitHub calls one check may spend: a page of the delivery log (newest first, 100 deliveries)
 * and redeliveries. One redelivery is enough to defer; the rest recover what failed sooner.
 */
export const DELIVERY_CHECK_MAX_GITHUB_CALLS = 11;

/**
 * Is every `workflow_job` delivery that failed lately recovered? GitHub may give a job, within
 * its busy flag's lag, to a runner idle for longer; when that job's deliveries failed at our
 * endpoint (a 5xx, a timeout), nothing we record shows the job, GitHub still lists the runner
 * idle, and deleting it kills the job. GitHub never retries a failed delivery, but its App
 * delivery log keeps it with its status. So before scale-down deletes an idle runner, the log
 * is read back over twice the lag (a job that started earlier shows in the busy flag; GitHub
 * logs an attempt once it ends) and every failed delivery without a later successful attempt is
 * redelivered: if any was, the job it names may be on an idle runner, unseen — no idle runner
 * goes this cycle; by the next one the redelivery has recorded it (the rules of
 * `mayRunUnseenJob` then hold the runner). A log that cannot be read defers the same way:
 * deleting an idle runner can wait, a killed job cannot be undone.
 *
 * Read only in a cycle that would retire an idle runner, once per cycle. What no log shows:
 * deliveries GitHub has not attempted yet (its own delivery delays) — docs/architecture.md.
 */
export async function failedDeliveriesRecovered(deps: ScaleDownDeps, now: IsoTime): Promise<boolean> {
  const since = toIso(toMillis(now) - 2 * deps.options.busyFlagLagSeconds * 1000);
  try {
    const { redelivered } = await deps.recovery.redeliverFailed(since, DELIVERY_CHECK_MAX_GITHUB_CALLS);
    if (redelivered === 0) return true;
    deps.logger.info('Failed workflow_job deliveries redelivered; idle runners are kept this cycle', {
      redelivered,
    });
    deps.metrics.add('IdleRetirementsDeferred', 1, 'Count', { reason: 'failed-deliveries' });
  } catch (error) {
    deps.logger.warn('GitHub delivery log unreadable; idle runners are kept this cycle', {
      error: error instanceof Error ? error.message : String(error),
    });
    deps.metrics.add('IdleRetirementsDeferred', 1, 'Count', { reason: 'delivery-log-unreadable' });
  }
  return false;
}
