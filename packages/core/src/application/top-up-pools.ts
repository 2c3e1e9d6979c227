import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { poolTargetSize, runnersToAdd } from '../scaling/pool-sizing';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import { poolRunners } from './runner-lookup';

export interface TopUpReport {
  readonly requested: Readonly<Record<string, number>>;
}

/**
 * The scheduled pool top-up: for each pool with an active schedule, request runners (not
 * tied to a job) until the idle-or-starting count reaches the schedule's size, within the
 * pool's maximum. Launches go through the scale-up queue.
 */
export async function topUpPools(deps: ScalerDeps, correlationId: string): Promise<TopUpReport> {
  const now = deps.clock.now();
  const requested: Record<string, number> = {};
  for (const pool of deps.settings.pools) {
    const target = poolTargetSize(pool, now);
    if (target === 0) continue;
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
      await execute(
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
            at: now,
          },
        },
        correlationId,
      );
      await deps.scaleUpQueue.send([
        { body: { kind: 'launch-runner', runnerId }, groupId: runnerId, dedupId: runnerId },
      ]);
      made += 1;
    }
    if (made > 0) {
      requested[pool.id] = made;
      deps.metrics.add('RunnersRequested', made, 'Count', { pool: pool.id });
    }
  }
  return { requested };
}
