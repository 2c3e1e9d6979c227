import type { PoolConfig } from '../config/pool-config';
import { toIso, toMillis, type IsoTime } from '../shared/brand';
import type { RunnerView } from './views';
import { previousOccurrence } from './schedule';

/**
 * How far back a pool schedule's last firing is looked for: a month, so weekly and monthly
 * patterns hold across weekends and month ends. A schedule that last fired longer ago no
 * longer sets the size.
 */
export const POOL_SCHEDULE_LOOKBACK_DAYS = 31;

/** The schedule that sets a pool's size at some moment, and since when. */
export interface ActivePoolSchedule {
  readonly size: number;
  /** Position of the schedule in `poolSchedules`. */
  readonly index: number;
  /** Its most recent firing at or before the moment asked about. */
  readonly since: IsoTime;
}

/**
 * The pool schedule in force at `at`: the one that fired most recently (at or before `at`,
 * within the look-back), the first in configuration order when several fired at that same
 * instant. A size holds from its schedule's firing until another schedule of the pool fires;
 * null when none fired in the look-back.
 */
export function activePoolSchedule(pool: PoolConfig, at: IsoTime): ActivePoolSchedule | null {
  const notBefore = toIso(toMillis(at) - POOL_SCHEDULE_LOOKBACK_DAYS * 24 * 60 * 60_000);
  let active: ActivePoolSchedule | null = null;
  for (const [index, schedule] of pool.poolSchedules.entries()) {
    const fired = previousOccurrence(schedule.cron, schedule.timeZone, at, notBefore);
    if (fired === null) continue;
    if (active === null || toMillis(fired) > toMillis(active.since)) {
      active = { size: schedule.size, index, since: fired };
    }
  }
  return active;
}

/** The size the pool should be topped up to (and kept at) at `at`; 0 when no schedule is in force. */
export function poolTargetSize(pool: PoolConfig, at: IsoTime): number {
  return activePoolSchedule(pool, at)?.size ?? 0;
}

const STARTING = new Set(['requested', 'launching', 'launched']);
// A terminating runner still holds a machine (and its pool slot until it is gone), so it
// counts as alive: counting it as ended would propose top-ups the pool stream must refuse.
const ENDED = new Set(['terminated', 'launch_failed']);

/**
 * How many runners to request so that idle-or-starting runners not tied to a job reach
 * `target`, never taking alive runners (every status but terminated and launch_failed) past
 * `maxRunners` (-1 = unlimited); never negative. Only runners of `pool` are counted.
 */
export function runnersToAdd(pool: PoolConfig, target: number, runners: readonly RunnerView[]): number {
  const own = runners.filter((runner) => runner.poolId === pool.id);
  const available = own.filter(
    (runner) =>
      runner.status === 'idle' || (STARTING.has(runner.status) && runner.requestedForJobId === null),
  ).length;
  const alive = own.filter((runner) => !ENDED.has(runner.status)).length;
  const wanted = Math.max(0, target - available);
  if (pool.maxRunners < 0) return wanted;
  return Math.max(0, Math.min(wanted, pool.maxRunners - alive));
}
