import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jobKeyArb, settingsArb } from '../testing/arbitraries';
import { candidatePools, labelsMatch, routeJob } from './label-matching';
import { PoolId } from '../shared/brand';
import { pool, settings } from './policy-fixtures';

describe('labelsMatch', () => {
  describe('given mode exact', () => {
    it('matches when the sets are equal ignoring case and the implicit self-hosted', () => {
      expect(labelsMatch(['Linux', 'X64'], ['self-hosted', 'linux', 'x64'], 'exact')).toBe(true);
      expect(labelsMatch(['self-hosted', 'linux', 'x64'], ['linux', 'x64'], 'exact')).toBe(true);
    });
    it('does not match when the pool has a label the job did not ask for', () => {
      expect(labelsMatch(['self-hosted', 'linux'], ['linux', 'x64'], 'exact')).toBe(false);
    });
  });
  describe('given mode subset', () => {
    it('matches when every job label is a pool label', () => {
      expect(labelsMatch(['self-hosted', 'linux'], ['linux', 'x64'], 'subset')).toBe(true);
    });
    it('does not match when the job asks for a label the pool lacks', () => {
      expect(labelsMatch(['self-hosted', 'linux', 'gpu'], ['linux', 'x64'], 'subset')).toBe(false);
    });
    it('matches a job that asks only for self-hosted', () => {
      expect(labelsMatch(['self-hosted'], ['linux'], 'subset')).toBe(true);
    });
  });
  describe('given mode loose', () => {
    it('matches when one job label other than self-hosted is a pool label', () => {
      expect(labelsMatch(['self-hosted', 'linux', 'gpu'], ['linux'], 'loose')).toBe(true);
    });
    it('does not match on self-hosted alone', () => {
      expect(labelsMatch(['self-hosted', 'gpu'], ['linux'], 'loose')).toBe(false);
    });
  });
  it('never matches a job without labels', () => {
    for (const mode of ['exact', 'subset', 'loose'] as const)
      expect(labelsMatch([], ['linux'], mode)).toBe(false);
  });
});

describe('routeJob', () => {
  const linux = pool({ id: PoolId('linux'), matching: { mode: 'subset', priority: 10 } });
  const big = pool({
    id: PoolId('big'),
    labels: ['linux', 'x64', 'large'],
    matching: { mode: 'subset', priority: 5 },
  });
  const job = { owner: 'acme', repo: 'web', labels: ['self-hosted', 'linux'] };

  it('routes to the matching pool with the lowest priority value', () => {
    expect(routeJob(job, settings([linux, big]))).toEqual({ kind: 'routed', pool: big });
  });
  it('breaks priority ties by configuration order', () => {
    const first = pool({ id: PoolId('first') });
    const second = pool({ id: PoolId('second') });
    expect(routeJob(job, settings([first, second]))).toEqual({ kind: 'routed', pool: first });
    expect(candidatePools(job, settings([second, first])).map((p) => p.id)).toEqual(['second', 'first']);
  });
  it('does not route to a pool of another owner', () => {
    expect(routeJob({ ...job, owner: 'globex' }, settings([linux]))).toEqual({
      kind: 'unroutable',
      reason: 'no-matching-pool',
    });
  });
  it('compares owners case-insensitively', () => {
    expect(routeJob({ ...job, owner: 'ACME' }, settings([linux])).kind).toBe('routed');
  });
  it('rejects a repository missing from a non-empty allow-list', () => {
    expect(routeJob(job, settings([linux], { repositoryAllowList: ['acme/api'] }))).toEqual({
      kind: 'unroutable',
      reason: 'repository-not-allowed',
    });
  });
  it('accepts an allow-listed repository whatever the case', () => {
    expect(routeJob(job, settings([linux], { repositoryAllowList: ['ACME/Web'] })).kind).toBe('routed');
  });
  describe('given a repo-level pool beside an org-level one', () => {
    const monorepo = pool({ id: PoolId('monorepo'), level: 'repo', repo: 'web' });
    it('routes the repository’s jobs to the repo-level pool and other repositories’ to the org pool', () => {
      expect(routeJob(job, settings([linux, monorepo]))).toEqual({ kind: 'routed', pool: monorepo });
      expect(routeJob({ ...job, repo: 'api' }, settings([linux, monorepo]))).toEqual({
        kind: 'routed',
        pool: linux,
      });
    });
    it('compares the repository case-insensitively', () => {
      expect(routeJob({ ...job, repo: 'Web' }, settings([monorepo])).kind).toBe('routed');
    });
    it('never routes another repository’s job to the repo-level pool', () => {
      expect(routeJob({ ...job, repo: 'api' }, settings([monorepo]))).toEqual({
        kind: 'unroutable',
        reason: 'no-matching-pool',
      });
    });
    it('still lets a lower priority value win over the repo-level pool', () => {
      const preferred = pool({ id: PoolId('preferred'), matching: { mode: 'subset', priority: 1 } });
      expect(routeJob(job, settings([monorepo, preferred]))).toEqual({ kind: 'routed', pool: preferred });
    });
  });
  it('reports no-matching-pool when no pool has the labels', () => {
    expect(routeJob({ ...job, labels: ['windows'] }, settings([linux]))).toEqual({
      kind: 'unroutable',
      reason: 'no-matching-pool',
    });
  });

  describe('properties', () => {
    it('never routes to a pool whose owner or repository differs or whose labels do not match', () => {
      fc.assert(
        fc.property(settingsArb, jobKeyArb, (config, key) => {
          const decision = routeJob(key, config);
          if (decision.kind !== 'routed') return;
          expect(decision.pool.owner.toLowerCase()).toBe(key.owner.toLowerCase());
          if (decision.pool.level === 'repo')
            expect(decision.pool.repo?.toLowerCase()).toBe(key.repo.toLowerCase());
          expect(labelsMatch(key.labels, decision.pool.labels, decision.pool.matching.mode)).toBe(true);
        }),
      );
    });
    it('routes to a pool no other candidate beats on priority, repo-level before org-level, then first in configuration order', () => {
      fc.assert(
        fc.property(settingsArb, jobKeyArb, (config, key) => {
          const decision = routeJob(key, config);
          const candidates = candidatePools(key, config);
          if (decision.kind !== 'routed') return;
          const best = Math.min(...candidates.map((p) => p.matching.priority));
          expect(decision.pool.matching.priority).toBe(best);
          const tied = config.pools.filter((p) => candidates.includes(p) && p.matching.priority === best);
          const firstBest = tied.find((p) => p.level === 'repo') ?? tied[0];
          expect(decision.pool).toBe(firstBest);
        }),
      );
    });
    it('routes whenever an allowed job has a candidate pool', () => {
      fc.assert(
        fc.property(settingsArb, jobKeyArb, (config, key) => {
          const open = { ...config, repositoryAllowList: [] };
          expect(routeJob(key, open).kind === 'routed').toBe(candidatePools(key, open).length > 0);
        }),
      );
    });
  });
});
