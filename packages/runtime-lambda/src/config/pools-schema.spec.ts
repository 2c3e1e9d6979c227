import { describe, expect, it } from '@jest/globals';
import { POOLS } from '../spec-fixtures';
import { poolScope, poolsSchema } from './pools-schema';

const linux = POOLS[0]!;
const problems = (pools: unknown): string[] => {
  const parsed = poolsSchema.safeParse(pools);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('poolsSchema crons', () => {
  it('accepts the 6-field, 5-field and EventBridge forms', () => {
    const pool = {
      ...linux,
      idleWindows: [{ cron: '* * 9-17 * * 1-5', timeZone: 'Europe/Amsterdam', idleCount: 1 }],
      poolSchedules: [
        { cron: 'cron(0 8 ? * MON-FRI *)', timeZone: 'Europe/Berlin', size: 2 },
        { cron: '0 18 * * 1-5', timeZone: 'Europe/Berlin', size: 0 },
      ],
    };
    expect(problems([pool])).toEqual([]);
  });

  it('rejects a cron scale-down could not evaluate, naming the pool, the field and the reason', () => {
    const gpu = {
      ...linux,
      id: 'gpu',
      idleWindows: [{ cron: 'rate(5 minutes)', idleCount: 1 }],
      poolSchedules: [
        { cron: '0 0 8 * * 1-5', size: 2 },
        { cron: '0 0 25 * * *', size: 0 },
      ],
    };
    expect(problems([linux, gpu])).toEqual([
      '1.idleWindows.0.cron: pool gpu: "rate(5 minutes)" is a rate, not a cron: write when it fires as a cron, e.g. "0 */5 * * * *" for every 5 minutes',
      '1.poolSchedules.1.cron: pool gpu: cron "0 0 25 * * *" hour field "25": 25 is outside 0–23',
    ]);
  });

  it('rejects an unknown time zone, naming the pool', () => {
    const pool = { ...linux, poolSchedules: [{ cron: '0 0 8 * * *', timeZone: 'Europe/Amsterdm', size: 1 }] };
    expect(problems([pool])).toEqual([
      '0.poolSchedules.0.timeZone: pool linux-x64: time zone "Europe/Amsterdm" is not an IANA time zone',
    ]);
  });

  it('reports a bad cron together with the pool’s other problems', () => {
    const pool = { ...linux, labels: [], idleWindows: [{ cron: '* * *', idleCount: 1 }] };
    expect(problems([pool])).toEqual([
      expect.stringMatching(/^0\.labels: pool linux-x64: /),
      expect.stringMatching(/^0\.idleWindows\.0\.cron: pool linux-x64: cron "\* \* \*" has 3 fields/),
    ]);
  });
});

describe('poolsSchema owner and level', () => {
  it('accepts a repo-level pool whose owner is owner/repo', () => {
    expect(problems([{ ...linux, level: 'repo', owner: 'platform/monorepo' }])).toEqual([]);
  });

  it('rejects a repo-level pool whose owner names no repository', () => {
    expect(problems([{ ...linux, level: 'repo', owner: 'platform' }])).toEqual([
      '0.owner: pool linux-x64: a repo-level pool serves one repository: owner must be "owner/repo", found "platform"',
    ]);
  });

  it('rejects an org-level pool whose owner names a repository', () => {
    expect(problems([{ ...linux, owner: 'platform/monorepo' }])).toEqual([
      '0.owner: pool linux-x64: owner "platform/monorepo" names a repository: set level to "repo" for repo-level runners, or give the organization alone',
    ]);
  });

  it('rejects an owner with spaces or extra slashes', () => {
    expect(problems([{ ...linux, level: 'repo', owner: 'a/b/c' }])).toHaveLength(1);
    expect(problems([{ ...linux, owner: 'my org' }])).toHaveLength(1);
  });
});

describe('poolScope', () => {
  it('splits a repo-level owner into the organization and the repository', () => {
    const [pool] = poolsSchema.parse([{ ...linux, level: 'repo', owner: 'platform/monorepo' }]);
    expect(poolScope(pool!)).toEqual({ level: 'repo', owner: 'platform', repo: 'monorepo' });
  });
  it('keeps an org-level owner as it is', () => {
    const [pool] = poolsSchema.parse([linux]);
    expect(poolScope(pool!)).toEqual({ level: 'org', owner: 'acme' });
  });
});
