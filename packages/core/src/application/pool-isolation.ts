import type { PoolConfig } from '../config/pool-config';
import { HangarError } from '../shared/errors';
import type { ScalerDeps } from './deps';

type IsolationDeps = Pick<ScalerDeps, 'settings' | 'logger' | 'metrics'>;

/**
 * Logs and counts one pool's failure. `PoolPolicyFailed` (dimension `pool`) is what the
 * module's per-pool alarm watches: the run itself goes on and succeeds.
 */
export function recordPoolFailure(
  deps: IsolationDeps,
  operation: string,
  poolId: string,
  error: unknown,
): void {
  deps.logger.error('Pool policy failed; the other pools carry on', {
    pool: poolId,
    operation,
    error: error instanceof Error ? error.message : String(error),
    retryable: error instanceof HangarError ? error.retryable : false,
  });
  deps.metrics.add('PoolPolicyFailed', 1, 'Count', { pool: poolId });
}

/**
 * Runs `work` for each pool in configuration order. Whatever one pool's work throws (a
 * configuration the loader would have refused, a policy bug, a dependency failing for this
 * pool only), it is recorded and the pools after it still run: one bad pool must never stop
 * scale-down or top-up for all. Every scheduled use case is idempotent, so the failed pool is
 * simply tried again at the next tick. Returns the ids of the pools that failed.
 */
export async function forEachPool(
  deps: IsolationDeps,
  operation: string,
  work: (pool: PoolConfig) => Promise<void>,
): Promise<readonly string[]> {
  const failed: string[] = [];
  for (const pool of deps.settings.pools) {
    try {
      await work(pool);
    } catch (error) {
      recordPoolFailure(deps, operation, pool.id, error);
      failed.push(pool.id);
    }
  }
  return failed;
}
