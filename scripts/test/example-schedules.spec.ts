// The shipped examples whose README promises warm pools or repo-level runners, checked the
// way a user would: their pools.json rendered by the module's own pools-document (the JSON
// the Lambdas read), then `pnpm policy-check` over a short trace shaped like the example's
// purpose. Monday 2 March 2026: Europe/Berlin and Europe/Amsterdam are UTC+1.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { policyCheck, renderExamplePools } from './support/example-check';

let rendered: Map<string, unknown>;
beforeAll(() => {
  rendered = renderExamplePools(['ephemeral', 'multi-runner', 'ghes-hardened']);
}, 120_000);
const renderPools = (example: string): unknown => rendered.get(example);

/** The idle runners policy-check saw in `pool` at each whole hour, by `HH:MM` (UTC). */
function hourlyIdle(stdout: string, pool: string): Record<string, number> {
  const line = stdout
    .split('\n')
    .find((candidate) => candidate.trim().startsWith(`${pool}: `) && /\d\d:00 \d/.test(candidate));
  if (!line) throw new Error(`no hourly idle line for ${pool} in:\n${stdout}`);
  return Object.fromEntries(
    [...line.matchAll(/(\d\d:\d\d) (\d+)/g)].map((match) => [match[1] ?? '', Number(match[2])]),
  );
}

const hours = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${String(from + i).padStart(2, '0')}:00`);

describe('the ephemeral example (2 warm runners 07:30–18:00 Berlin on weekdays)', () => {
  it('holds 2 idle runners through the working day, refilled after each job, and none after 18:00', async () => {
    const job = {
      owner: 'my-org',
      repo: 'app',
      labels: ['self-hosted', 'linux', 'x64', 'ephemeral'],
      durationMinutes: 10,
    };
    const run = await policyCheck(
      { pools: renderPools('ephemeral'), simulation: { drainMinutes: 60 } },
      {
        start: '2026-03-02T05:00:00Z',
        // Mid-morning and mid-afternoon jobs on the warm runners, one more after the window.
        jobs: [
          { ...job, at: '2026-03-02T09:20:00Z', count: 2 },
          { ...job, at: '2026-03-02T14:20:00Z' },
          { ...job, at: '2026-03-02T18:20:00Z' },
        ],
      },
    );
    expect(run.code).toBe(0);
    const idle = hourlyIdle(run.stdout, 'ephemeral');
    expect(idle['06:00']).toBe(0); // 07:00 Berlin: not yet
    for (const hour of hours(7, 16)) expect({ hour, idle: idle[hour] }).toEqual({ hour, idle: 2 });
    expect(idle['18:00']).toBe(0); // 19:00 Berlin: released
    expect(run.stdout).toContain('invariants: ok');
  }, 120_000);
});

describe('the multi-runner example (linux-large: 3 warm 08:00–19:00 Amsterdam on weekdays)', () => {
  it('holds 3 idle linux-large runners through the working day and releases them at 19:00', async () => {
    const large = {
      owner: 'my-org',
      repo: 'service-a',
      labels: ['self-hosted', 'linux', 'x64', 'large'],
      durationMinutes: 10,
    };
    const run = await policyCheck(
      {
        pools: renderPools('multi-runner'),
        // As the example's main.tf.
        settings: { repositoryAllowList: ['my-org/service-a', 'my-org/service-b'] },
        simulation: { drainMinutes: 60 },
      },
      {
        start: '2026-03-02T05:00:00Z',
        jobs: [
          { ...large, at: '2026-03-02T10:10:00Z', count: 2 },
          { ...large, repo: 'service-b', at: '2026-03-02T14:10:00Z' },
          { ...large, at: '2026-03-02T19:30:00Z' },
        ],
      },
    );
    expect(run.code).toBe(0);
    const idle = hourlyIdle(run.stdout, 'linux-large');
    expect(idle['06:00']).toBe(0); // 07:00 Amsterdam: not yet
    for (const hour of hours(8, 17)) expect({ hour, idle: idle[hour] }).toEqual({ hour, idle: 3 });
    expect(idle['19:00']).toBe(0); // 20:00 Amsterdam: released
    expect(run.stdout).toMatch(/jobs routed per pool:[\s\S]*linux-large: 4\n/);
    expect(run.stdout).toContain('invariants: ok');
  }, 120_000);
});

describe('the ghes-hardened example (an org-level x64 pool and a repo-level arm64 pool for platform/monorepo)', () => {
  it('serves the repository’s arm64 jobs from the repo-level pool and finds no pool for another repository’s', async () => {
    const arm = {
      owner: 'platform',
      repo: 'monorepo',
      labels: ['self-hosted', 'linux', 'arm64'],
      durationMinutes: 5,
    };
    const x64 = {
      owner: 'platform',
      repo: 'tools',
      labels: ['self-hosted', 'linux', 'x64', 'hardened'],
      durationMinutes: 5,
    };
    const run = await policyCheck(
      { pools: renderPools('ghes-hardened') },
      {
        start: '2026-03-02T09:00:00Z',
        jobs: [
          { ...arm, atMinute: 0, count: 3 },
          { ...x64, atMinute: 1, count: 2 },
          { ...arm, repo: 'tools', atMinute: 2 },
        ],
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/jobs routed per pool:\n\s+ghes-linux: 2\n\s+ghes-repo: 3\n/);
    expect(run.stdout).toContain('unroutable: 1 (no-matching-pool: 1)');
    expect(run.stdout).toMatch(
      /runners retired per pool, by reason:\n\s+ghes-linux: (none|idle \d+)\n\s+ghes-repo: (none|idle \d+)\n/,
    );
    expect(run.stdout).toContain('invariants: ok');
  }, 120_000);
});
