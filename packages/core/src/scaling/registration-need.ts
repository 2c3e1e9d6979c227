import type { PoolConfig } from '../config/pool-config';
import { minutesBetween, type IsoTime } from '../shared/brand';
import type { RegisteredRunnerView, RunnerView } from './views';

export interface RegistrationNeedInput {
  readonly pool: PoolConfig;
  readonly runners: readonly RunnerView[];
  readonly now: IsoTime;
  /** As `selectForScaleDown`'s (default 15). */
  readonly launchStallMinutes?: number;
}

/**
 * Can GitHub's runner listing change what `selectForScaleDown` picks for this pool now? When
 * it cannot, the listing is skipped: a pool of busy runners and runners still booting costs
 * scale-down no GitHub call. `selectForScaleDown` reads a registration only to
 * - protect a runner GitHub reports busy — which matters only for a runner it would otherwise
 *   select: a stalled request, an old launched runner or an idle one (below);
 * - judge a launched runner online (idle, evictable past the minimum running time) or not
 *   (removed past its boot time): no matter before the earlier of the two;
 * - find a registration lost — for idle runners and launched ones our events know online.
 * A runner in any other state, or younger than those limits, is picked the same either way.
 * Kept beside the policy and checked against it by registration-need.spec.ts: a new use of the
 * listing in `selectForScaleDown` must be mirrored here.
 */
export function registrationsCanMatter(input: RegistrationNeedInput): boolean {
  const { pool, now } = input;
  const stall = input.launchStallMinutes ?? 15;
  return input.runners.some((runner) => {
    if (runner.poolId !== pool.id) return false;
    switch (runner.status) {
      case 'requested':
      case 'launching':
        return minutesBetween(runner.requestedAt, now) >= stall;
      case 'launched': {
        if (runner.online) return true;
        const age = minutesBetween(runner.launchedAt ?? runner.requestedAt, now);
        return age >= Math.min(pool.bootTimeMinutes, pool.minimumRunningTimeMinutes);
      }
      case 'idle':
        return true;
      default:
        return false;
    }
  });
}

/**
 * Can a scale-down cycle do anything for this pool, judged on views that may lag (the stream
 * index's)? Only a runner that could be retired (the cases `registrationsCanMatter` names: every
 * selection of `selectForScaleDown` is one of them) or a termination left half done can; a pool
 * of busy and freshly requested or booting runners cannot, so its consistent reads are skipped.
 * A lagging view only delays: a runner whose change the index does not show yet is judged on
 * the next cycle.
 */
export function scaleDownMayAct(input: RegistrationNeedInput): boolean {
  return (
    input.runners.some((runner) => runner.poolId === input.pool.id && runner.status === 'terminating') ||
    registrationsCanMatter(input)
  );
}

/**
 * Would GitHub's listing tell scale-down something to record about these runners — a launched
 * runner listed online or busy, an idle one listed busy (`recordListed`), a runner busy with a
 * job by our records that GitHub lists not busy (`recordUnseenCompletions`)? On the orphan
 * listing's cycles, a pool `scaleDownMayAct` passes over is still read consistently when it
 * does. Judged on views that may lag, like `scaleDownMayAct`: a change not shown yet is judged
 * on the next listing.
 */
export function listingMayRecord(
  runners: readonly RunnerView[],
  registrations: ReadonlyMap<string, RegisteredRunnerView>,
): boolean {
  return runners.some((runner) => {
    const listed = runner.runnerName ? registrations.get(runner.runnerName) : undefined;
    if (!listed) return false;
    switch (runner.status) {
      case 'busy':
        return runner.currentJobId !== null && !listed.busy;
      case 'launched':
        return listed.busy || listed.status === 'online';
      case 'idle':
        return listed.busy;
      default:
        return false;
    }
  });
}
