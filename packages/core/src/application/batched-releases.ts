import type { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { releaseSlots } from './pool-slots';
import type { RetireContext } from './retire-runner';

/**
 * The slots freed while one SQS batch of job events is handled, given back with ONE pool
 * append per pool at the end of the batch (`ReleaseRunnerSlots`, which wakes one waiting job
 * per slot) instead of a pool read and append per runner — as scale-down does for a cycle.
 * A crash (or a failed append) after a runner was recorded ended and before the release leaves
 * the slot held by an ended runner: the reconciler's release-slots step gives it back, as it
 * does when a single release fails today (the message's redelivery finds the runner ended and
 * releases nothing).
 */
export class BatchedReleases {
  private readonly byPool = new Map<string, RunnerId[]>();

  /** The retirement context that collects instead of releasing at once. */
  readonly context: RetireContext = {
    releaseLater: (poolId, runnerId) => {
      const ids = this.byPool.get(poolId) ?? [];
      if (!ids.includes(runnerId)) ids.push(runnerId);
      this.byPool.set(poolId, ids);
    },
  };

  /** Releases what was collected, pool by pool; every pool is tried, the first failure thrown. */
  async flush(deps: ScalerDeps, correlationId: string): Promise<void> {
    const failures: unknown[] = [];
    for (const [poolId, runnerIds] of this.byPool) {
      await releaseSlots(deps, poolId, runnerIds, correlationId).catch((error: unknown) =>
        failures.push(error),
      );
    }
    this.byPool.clear();
    if (failures.length > 0) throw failures[0];
  }
}
