import type { PoolConfig } from '../config/pool-config';
import type { RunnerScope } from '../ports/runner-registry';
import { listingMayRecord, scaleDownMayAct } from '../scaling/registration-need';
import { selectForScaleDown } from '../scaling/scale-down';
import type { RegisteredRunnerView, RunnerView } from '../scaling/views';
import type { IsoTime } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { scopeFor } from './scale-up';

/** What a scale-down cycle knows of GitHub's listings so far (scale-down.ts). */
export interface ListingRun {
  readonly now: IsoTime;
  /** List every scope (orphan detection), not only where a pool's runners need it. */
  readonly listAll: boolean;
  readonly registrationCache: Map<string, readonly RegisteredRunnerView[] | null>;
  readonly registrationsUnknown: string[];
}

/**
 * May the pool's consistent reads (its slots, its runners' heads) be skipped this cycle? Yes
 * unless the index shows a runner that may go or a termination left half done, or — on the
 * orphan listing's cycles, whose listing is made anyway — the listing shows something to record
 * about a runner (a start or completion GitHub saw and we did not). A lagging view only delays
 * that to the next cycle (docs/table-design.md, "Index reads and lag").
 */
export async function nothingToDo(
  deps: ScalerDeps,
  pool: PoolConfig,
  run: ListingRun,
  indexed: readonly RunnerView[],
): Promise<boolean> {
  // The policy is run on the index views too (a superset of its selections says whether to
  // look), so a configuration it cannot evaluate fails the pool every cycle, as before.
  const input = { pool, runners: indexed, now: run.now };
  const selected = selectForScaleDown({ ...input, registrations: new Map(), registrationsKnown: false });
  if (selected.length > 0 || scaleDownMayAct(input)) return false;
  if (!run.listAll) return true;
  const listed = await listOnce(deps, run.registrationCache, scopeFor(pool));
  // Nothing to record without a listing: the pool's cycle would have done nothing either.
  if (listed === null) run.registrationsUnknown.push(pool.id);
  return !listingMayRecord(indexed, new Map((listed ?? []).map((entry) => [entry.name, entry])));
}

// GitHub names are case-insensitive: one listing per organisation or repository.
function scopeKey(scope: RunnerScope): string {
  return (scope.level === 'repo' ? `${scope.owner}/${scope.repo}` : scope.owner).toLowerCase();
}

/** `scopeKey(scopeFor(pool))` without throwing for a repo-level pool that names no repository. */
export function poolScopeKey(pool: PoolConfig): string {
  return (pool.level === 'repo' ? `${pool.owner}/${pool.repo ?? ''}` : pool.owner).toLowerCase();
}

export async function listOnce(
  deps: ScalerDeps,
  cache: Map<string, readonly RegisteredRunnerView[] | null>,
  scope: RunnerScope,
): Promise<readonly RegisteredRunnerView[] | null> {
  const key = scopeKey(scope);
  if (cache.has(key)) return cache.get(key) ?? null;
  let listed: readonly RegisteredRunnerView[] | null = null;
  try {
    listed = await deps.registry.listRunners(scope);
  } catch (error) {
    deps.logger.warn('Could not list GitHub runners; scale-down uses recorded facts only', {
      scope: key,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  cache.set(key, listed);
  return listed;
}
