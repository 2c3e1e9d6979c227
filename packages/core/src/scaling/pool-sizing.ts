import type { PoolConfig } from '../config/pool-config';
import type { IsoTime } from '../shared/brand';
import type { RunnerView } from './views';
import { isCronActive } from './schedule';

/** The size the pool should be topped up to at `at`: the first active schedule's, else 0. */
export function poolTargetSize(pool: PoolConfig, at: IsoTime): number {
  const schedule = pool.poolSchedules.find((candidate) =>
    isCronActive(candidate.cron, candidate.timeZone, at),
  );
  return schedule?.size ?? 0;
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
