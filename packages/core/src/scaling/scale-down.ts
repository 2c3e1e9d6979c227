import type { PoolConfig } from '../config/pool-config';
import type { TerminationReason } from '../runner/runner.events';
import { minutesBetween, toMillis, type IsoTime, type RunnerId } from '../shared/brand';
import { activeIdleWindow } from './idle-schedule';
import { poolTargetSize } from './pool-sizing';
import { unseenStarts, type RecentJobView, type UnseenStarts } from './unseen-starts';
import type { RegisteredRunnerView, RunnerView } from './views';

export interface ScaleDownInput {
  readonly pool: PoolConfig;
  readonly runners: readonly RunnerView[];
  /** GitHub's registrations by runner name. */
  readonly registrations: ReadonlyMap<string, RegisteredRunnerView>;
  /** False when GitHub could not be listed: nothing is judged "registration lost" then. */
  readonly registrationsKnown: boolean;
  readonly now: IsoTime;
  /** A runner requested or launching for longer than this is stalled (default 15). */
  readonly launchStallMinutes?: number;
  /**
   * How long GitHub's `busy` flag may lag behind a job's start (default
   * DEFAULT_BUSY_FLAG_LAG_SECONDS): an idle runner is trusted idle only once it has been
   * available this long.
   */
  readonly busyFlagLagSeconds?: number;
  /**
   * Jobs routed (to any pool) within the lag: one whose start is not recorded may be running
   * on any idle runner that could serve it, one started on a named runner on that runner.
   */
  readonly recentJobs?: readonly RecentJobView[];
}

/**
 * GitHub reports a runner busy (and refuses to delete it, 422) 25–60 s after it took a job;
 * before that it lists it idle and deletes it, killing the job. 90 s leaves room for the
 * clock skew between GitHub's timestamps and ours.
 */
export const DEFAULT_BUSY_FLAG_LAG_SECONDS = 90;

export interface ScaleDownSelection {
  readonly runnerId: RunnerId;
  readonly reason: TerminationReason;
  /** Whether a GitHub registration should be removed first. */
  readonly deregister: boolean;
}

/**
 * Which of a pool's runners to remove now, and why. Never a busy runner (by our events or
 * by GitHub's listing), never one already terminating. Idle runners are removed only past
 * the minimum running time and beyond the number to keep: the active idle window's count
 * (or the pool schedule's size, whichever is larger), evicting oldest-first or newest-first
 * by launch time. Output is ordered by runner id.
 *
 * GitHub's busy flag lags, so "idle" is trusted only when no job can have reached the runner
 * unseen: it has been available (online or done with its last job, by our records) for the
 * whole lag, and no job routed within the lag may have started on it unrecorded
 * (`recentJobs`). Once the lag is over, a job it took shows as busy in the listing.
 */
export function selectForScaleDown(input: ScaleDownInput): readonly ScaleDownSelection[] {
  const { pool, registrations, registrationsKnown, now } = input;
  const stall = input.launchStallMinutes ?? 15;
  const selections: ScaleDownSelection[] = [];
  const idle: RunnerView[] = [];

  for (const runner of input.runners) {
    if (runner.poolId !== pool.id) continue;
    const registration = runner.runnerName ? registrations.get(runner.runnerName) : undefined;
    if (runner.status === 'busy' || registration?.busy) continue;
    switch (runner.status) {
      case 'requested':
      case 'launching':
        if (minutesBetween(runner.requestedAt, now) >= stall) {
          selections.push({ runnerId: runner.runnerId, reason: 'launch-stalled', deregister: false });
        }
        break;
      case 'launched': {
        const online = runner.online || registration?.status === 'online';
        if (!online) {
          const boot = bootClock(runner, pool.bootTimeMinutes, stall);
          if (minutesBetween(boot.since, now) >= boot.minutes) {
            selections.push({
              runnerId: runner.runnerId,
              reason: 'boot-timeout',
              deregister: registration !== undefined,
            });
          }
          break;
        }
        if (registrationsKnown && !registration && runner.runnerName) {
          selections.push({ runnerId: runner.runnerId, reason: 'registration-lost', deregister: false });
          break;
        }
        idle.push(runner);
        break;
      }
      case 'idle':
        if (registrationsKnown && runner.runnerName && !registration) {
          selections.push({ runnerId: runner.runnerId, reason: 'registration-lost', deregister: false });
          break;
        }
        idle.push(runner);
        break;
      default:
        break;
    }
  }

  const window = activeIdleWindow(pool, now);
  const keep = Math.max(window.idleCount, poolTargetSize(pool, now));
  const started = (runner: RunnerView): number => toMillis(runner.launchedAt ?? runner.requestedAt);
  // Evicted first come first in this order.
  const byEviction = [...idle].sort(
    (a, b) =>
      (window.evictionStrategy === 'oldest-first' ? started(a) - started(b) : started(b) - started(a)) ||
      (a.runnerId < b.runnerId ? -1 : a.runnerId > b.runnerId ? 1 : 0),
  );
  const removable = byEviction.length - keep;
  const lag = input.busyFlagLagSeconds ?? DEFAULT_BUSY_FLAG_LAG_SECONDS;
  const unseen = unseenStarts(pool, input.recentJobs ?? []);
  let removed = 0;
  for (const runner of byEviction) {
    if (removed >= removable || unseen.anyRunner) break;
    const since = runner.launchedAt ?? runner.requestedAt;
    if (minutesBetween(since, now) < pool.minimumRunningTimeMinutes) continue;
    if (mayRunUnseenJob(runner, now, lag, unseen)) continue;
    selections.push({ runnerId: runner.runnerId, reason: 'idle', deregister: true });
    removed += 1;
  }
  return selections.sort((a, b) => (a.runnerId < b.runnerId ? -1 : a.runnerId > b.runnerId ? 1 : 0));
}

/**
 * When a launched runner's boot timeout starts, and how long it is. A machine cannot boot
 * before its config is in the secret store, and the config may come late: the GitHub call
 * failed after the launch and SQS hands the message out again only after its visibility
 * timeout, while the boot script waits for the secret (two visibility timeouts and a minute).
 * So the boot timeout runs from the delivery; until then the machine is given the launch-stall
 * time. A head written before deliveries were recorded keeps the launch time.
 */
function bootClock(
  runner: RunnerView,
  bootTimeMinutes: number,
  stallMinutes: number,
): { readonly since: IsoTime; readonly minutes: number } {
  const launched = runner.launchedAt ?? runner.requestedAt;
  if (runner.configDeliveredAt === undefined) return { since: launched, minutes: bootTimeMinutes };
  if (runner.configDeliveredAt === null) {
    return { since: launched, minutes: Math.max(bootTimeMinutes, stallMinutes) };
  }
  return { since: runner.configDeliveredAt, minutes: bootTimeMinutes };
}

/**
 * May this registered runner be running a job GitHub does not report yet (so deleting its
 * registration could kill it)? Unless it has been available for the whole lag, by our records —
 * `idleSince` is when it came online (as we saw it, never earlier than GitHub did) or finished
 * its last job (GitHub's `completed_at`); one GitHub lists online that our records have not
 * seen online yet has not — and no job routed within the lag may have started on it unseen.
 */
export function mayRunUnseenJob(
  runner: RunnerView,
  now: IsoTime,
  lagSeconds: number,
  unseen: UnseenStarts,
): boolean {
  if (runner.status !== 'idle' || runner.idleSince === null) return true;
  const idleSince = toMillis(runner.idleSince);
  if (toMillis(now) - idleSince < lagSeconds * 1000) return true;
  if (unseen.anyRunner) return true;
  // A start recorded on the job but not on the runner: unless the runner's own record is
  // newer (it went idle well after that start: the job's `completed` is what is missing).
  const started = unseen.runnerNames.get(runner.runnerName ?? '');
  if (started === undefined) return false;
  return started === null || toMillis(started) > idleSince - lagSeconds * 1000;
}
