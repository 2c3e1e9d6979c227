import type { PoolConfig } from '../config/pool-config';
import type { RunnerScope } from '../ports/runner-registry';
import type { RunnerId } from '../shared/brand';
import { ConfigurationError } from '../shared/errors';
import type { ScalerDeps } from './deps';

/** Every name we register starts with this after the pool's prefix, so we never touch others' runners. */
export const RUNNER_NAME_MARKER = 'hgr-';

export function runnerNamePrefix(pool: PoolConfig): string {
  return `${pool.namePrefix}${RUNNER_NAME_MARKER}`;
}

export function runnerNameFor(pool: PoolConfig, runnerId: RunnerId): string {
  return `${runnerNamePrefix(pool)}${runnerId}`;
}

/**
 * Where the pool's runners are registered, listed and deleted: its organisation, or for a
 * repo-level pool its one repository — whatever job (or none, for a warm runner) a runner
 * was requested for.
 */
export function scopeFor(pool: PoolConfig): RunnerScope {
  if (pool.level === 'org') return { level: 'org', owner: pool.owner };
  if (pool.repo === undefined) {
    throw new ConfigurationError([`pool ${pool.id} is repo-level but names no repository (owner/repo)`]);
  }
  return { level: 'repo', owner: pool.owner, repo: pool.repo };
}

export function poolById(deps: Pick<ScalerDeps, 'settings'>, poolId: string): PoolConfig | undefined {
  return deps.settings.pools.find((pool) => pool.id === poolId);
}
