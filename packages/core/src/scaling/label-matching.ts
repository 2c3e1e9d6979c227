import type { LabelMatchMode, PoolConfig, ScalerSettings } from '../config/pool-config';

export type RouteDecision =
  | { readonly kind: 'routed'; readonly pool: PoolConfig }
  | { readonly kind: 'unroutable'; readonly reason: 'no-matching-pool' | 'repository-not-allowed' };

const SELF_HOSTED = 'self-hosted';

const normalise = (labels: readonly string[]): Set<string> =>
  new Set(labels.map((label) => label.trim().toLowerCase()).filter((label) => label !== ''));

/**
 * Do a job's `runs-on` labels fit a pool's labels? Case-insensitive; a pool always carries
 * `self-hosted` (GitHub adds it to every self-hosted runner).
 * - `exact`: the sets are equal;
 * - `subset`: every job label is a pool label (the reference's exact match);
 * - `loose`: some job label other than `self-hosted` is a pool label (the reference's non-exact match).
 */
export function labelsMatch(
  jobLabels: readonly string[],
  poolLabels: readonly string[],
  mode: LabelMatchMode,
): boolean {
  const job = normalise(jobLabels);
  const pool = normalise(poolLabels);
  pool.add(SELF_HOSTED);
  if (job.size === 0) return false;
  switch (mode) {
    case 'exact':
      if (!job.has(SELF_HOSTED)) job.add(SELF_HOSTED);
      return job.size === pool.size && [...job].every((label) => pool.has(label));
    case 'subset':
      return [...job].every((label) => pool.has(label));
    case 'loose':
      return [...job].some((label) => label !== SELF_HOSTED && pool.has(label));
  }
}

/** Is `owner/repo` allowed by the allow-list (empty = every repository)? */
export function repositoryAllowed(owner: string, repo: string, allowList: readonly string[]): boolean {
  if (allowList.length === 0) return true;
  const name = `${owner}/${repo}`.toLowerCase();
  return allowList.some((entry) => entry.trim().toLowerCase() === name);
}

const sameName = (a: string, b: string | undefined): boolean => a.toLowerCase() === b?.toLowerCase();

/** Does the pool serve this repository? An org-level pool serves every repository of its owner. */
export function poolServesRepository(pool: PoolConfig, owner: string, repo: string): boolean {
  return sameName(owner, pool.owner) && (pool.level === 'org' || sameName(repo, pool.repo));
}

/**
 * Pools that may serve the job, best first: lowest `matching.priority`, then repo-level
 * before org-level (the more specific pool), then configuration order.
 */
export function candidatePools(
  job: { readonly owner: string; readonly repo: string; readonly labels: readonly string[] },
  settings: ScalerSettings,
): PoolConfig[] {
  const specificity = (pool: PoolConfig): number => (pool.level === 'repo' ? 0 : 1);
  return settings.pools
    .map((pool, order) => ({ pool, order }))
    .filter(({ pool }) => poolServesRepository(pool, job.owner, job.repo))
    .filter(({ pool }) => labelsMatch(job.labels, pool.labels, pool.matching.mode))
    .sort(
      (a, b) =>
        a.pool.matching.priority - b.pool.matching.priority ||
        specificity(a.pool) - specificity(b.pool) ||
        a.order - b.order,
    )
    .map(({ pool }) => pool);
}

/** Which pool serves a job, or why none may. The allow-list is checked first. */
export function routeJob(
  job: { readonly owner: string; readonly repo: string; readonly labels: readonly string[] },
  settings: ScalerSettings,
): RouteDecision {
  if (!repositoryAllowed(job.owner, job.repo, settings.repositoryAllowList)) {
    return { kind: 'unroutable', reason: 'repository-not-allowed' };
  }
  const [pool] = candidatePools(job, settings);
  return pool ? { kind: 'routed', pool } : { kind: 'unroutable', reason: 'no-matching-pool' };
}
