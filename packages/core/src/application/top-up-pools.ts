import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { poolTargetSize, runnersToAdd } from '../scaling/pool-sizing';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import { forEachPool } from './pool-isolation';
import { poolRunners } from './runner-lookup';

export interface TopUpReport {
  readonly requested: Readonly<Record<string, number>>;
  /** Pools whose top-up failed this run (logged, counted as PoolPolicyFailed); the others ran. */
  readonly failedPools: readonly string[];
}

/**
 * The scheduled pool top-up: for each pool with a schedule in force, request runners (not
 * tied to a job) until the idle-or-starting count reaches the schedule's size, within the
 * pool's maximum. Launches go through the scale-up queue. Each pool runs on its own.
 */
export async function topUpPools(deps: ScalerDeps, correlationId: string): Promise<TopUpReport> {
  const now = deps.clock.now();
  const requested: Record<string, number> = {};
  const failedPools = await forEachPool(deps, 'top-up', async (pool) => {
    const target = poolTargetSize(pool, now);
    if (target === 0) return;
    // Read consistently: runners requested by the previous run must count, indexed yet or not.
    const runners = await poolRunners(deps, pool);
    const wanted = runnersToAdd(pool, target, runners);
    let made = 0;
    for (let i = 0; i < wanted; i += 1) {
      const runnerId = RunnerId(`p${deps.ids.next()}`);
      const reserved = await execute(
        deps,
        deps.streams.pool,
        poolStreamId(pool.id),
        { type: 'ReserveRunnerSlot', data: { runnerId, jobId: null, maxRunners: pool.maxRunners, at: now } },
        correlationId,
      );
      if (reserved.outcome === 'rejected') break;
      const request = await execute(
        deps,
        deps.streams.runner,
        runnerStreamId(runnerId),
        {
          type: 'RequestRunner',
          data: {
            runnerId,
            poolId: pool.id,
            jobId: null,
            ephemeral: pool.ephemeral,
            compute: pool.compute,
            secretSuffix: deps.ids.unguessable(),
            at: now,
          },
        },
        correlationId,
      );
      // Withdrawn by the reconciler (this run stalled past the grace period): it freed the slot.
      if (request.outcome === 'rejected') break;
      await deps.scaleUpQueue.send([
        { body: { kind: 'launch-runner', runnerId }, groupId: runnerId, dedupId: runnerId },
      ]);
      made += 1;
    }
    if (made > 0) {
      requested[pool.id] = made;
      deps.metrics.add('RunnersRequested', made, 'Count', { pool: pool.id });
    }
  });
  return { requested, failedPools };
}
