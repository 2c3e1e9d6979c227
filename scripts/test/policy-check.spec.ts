import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstanceId, PoolId, RunnerId, runnerNameFor } from '../../packages/core/src/index';
import { scalerFixture } from '../../packages/core/src/testing/scaler-fixture';
import fc from 'fast-check';
import { readConfig } from '../policy-check/config';
import { traceArb } from '../policy-check/random';
import { runnerTakes } from '../policy-check/github-world';
import { duplicateLaunches, observe, type Observations } from '../policy-check/observe';
import { percentile } from '../policy-check/report';
import { readTrace } from '../policy-check/trace';
import { policyCheckInProcess as policyCheck } from './support/cli-run';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = {
  config: 'scripts/policy-check/example-config.json',
  trace: 'scripts/policy-check/example-trace.json',
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bin exactly as `pnpm policy-check` does, from the repository root, in a new process. */
function policyCheckBin(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/policy-check.mjs', ...args],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const exampleConfig = (): Record<string, unknown> & { pools: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(join(root, example.config), 'utf8'));

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-check-')), 'file.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('pnpm policy-check', () => {
  describe('given the example configuration and trace', () => {
    // The one spec that starts the bin (node, tsx, the exit code and both streams); the others
    // call the command's main in process (support/cli-run.ts).
    it('exits 0 with the routing, wait, fleet and launch summary and every invariant kept', async () => {
      const run = await policyCheckBin('--config', example.config, '--trace', example.trace);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('config scripts/policy-check/example-config.json: ok (3 pools');
      expect(run.stdout).toMatch(/jobs routed per pool:\n\s+linux: 22\n\s+linux-large: 6\n\s+arm-fargate: 3/);
      expect(run.stdout).toContain('unroutable: 2 (repository-not-allowed: 1, no-matching-pool: 1');
      expect(run.stdout).toMatch(/wait from queued to running: p50 \d+ min, p95 \d+ min/);
      expect(run.stdout).toMatch(/linux: peak 6 \/ 6, idle \d+ runner-min, launched \d+/);
      expect(run.stdout).toContain('invariants: ok');
      expect(run.stdout).toContain('policy-check: ok');
    });
  });

  describe('given a configuration with duplicate pool ids and broken crons', () => {
    it('exits 1 naming every problem without simulating', async () => {
      const config = exampleConfig();
      const [first, second] = config.pools;
      const broken = {
        ...config,
        pools: [
          { ...first, idleWindows: [{ cron: '* 9-17 * *', idleCount: 1 }] },
          {
            ...second,
            id: 'linux',
            poolSchedules: [{ cron: '0 0 8 * * *', timeZone: 'Mars/Olympus', size: 1 }],
          },
        ],
      };
      const run = await policyCheck('--config', writeJson(broken), '--trace', example.trace);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('duplicate pool id linux');
      expect(run.stderr).toContain(
        'pools[0].idleWindows[0].cron: pool linux: cron "* 9-17 * *" has 4 fields',
      );
      expect(run.stderr).toContain('time zone "Mars/Olympus" is not an IANA time zone');
      expect(run.stdout).not.toContain('jobs routed per pool');
    });
  });

  describe('given a pool whose maximum is 0', () => {
    it('exits 1 reporting the routable jobs that never started', async () => {
      const config = exampleConfig();
      // Alone: the other pools' warm runners would take the job (GitHub gives it to any that fits).
      const [first] = config.pools;
      const starved = { ...config, pools: [{ ...first, maxRunners: 0 }] };
      const trace = writeJson({
        start: '2026-03-02T12:00:00Z',
        jobs: [
          { atMinute: 0, owner: 'acme', repo: 'web', labels: ['self-hosted', 'linux'], durationMinutes: 3 },
        ],
      });
      const run = await policyCheck(
        '--config',
        writeJson({ ...starved, simulation: { drainMinutes: 30 } }),
        '--trace',
        trace,
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'job 1 (pool linux, queued at minute 0) never started within 31 simulated minutes',
      );
      expect(run.stdout).toContain('policy-check: FAILED');
    });
  });

  describe('given a boot time shorter than runners take to come online', () => {
    it('exits 1 with a boot-timeout warning: every runner is retired before it is online and the job never starts', async () => {
      const config = exampleConfig();
      const [first] = config.pools;
      const hasty = {
        ...config,
        pools: [{ ...first, bootTimeMinutes: 1 }],
        simulation: { runnerBootMinutes: 3, scaleDownEveryMinutes: 1, drainMinutes: 60 },
      };
      const trace = writeJson({
        start: '2026-03-02T12:00:00Z',
        jobs: [
          { atMinute: 0, owner: 'acme', repo: 'web', labels: ['self-hosted', 'linux'], durationMinutes: 3 },
        ],
      });
      const run = await policyCheck('--config', writeJson(hasty), '--trace', trace);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/runners retired per pool, by reason:\n\s+linux: boot-timeout 3\n/);
      expect(run.stdout).toContain('! linux: 3 runner(s) retired as boot-timeout');
      expect(run.stdout).toContain('job 1 (pool linux, queued at minute 0) never started');
    });
  });

  describe('given a malformed trace', () => {
    it('exits 1 naming the entry and field at fault', async () => {
      const trace = writeJson({
        start: '2026-03-02T12:00:00Z',
        jobs: [{ atMinute: -1, owner: 'acme', repo: 'web', labels: [], durationMinutes: 0 }],
      });
      const run = await policyCheck('--config', example.config, '--trace', trace);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('trace.jobs[0].atMinute: must be a whole number ≥ 0');
      expect(run.stderr).toContain('trace.jobs[0].labels: must be a non-empty list of strings');
      expect(run.stderr).toContain('trace.jobs[0].durationMinutes: must be a whole number ≥ 1');
    });
  });

  describe('given --random with a seed', () => {
    it('exits 0 after the generated traces all keep the invariants', async () => {
      const run = await policyCheck('--config', example.config, '--random', '3', '--seed', '7');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('random: 3 generated traces kept every invariant');
    });
  });

  describe('given no trace and no --random', () => {
    it('exits 2 with the usage line', async () => {
      const run = await policyCheck('--config', example.config);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('usage: pnpm policy-check --config FILE');
    });
  });
});

// The checker's own parts, in process: a checker whose detectors never fire proves nothing.
describe('policy-check internals', () => {
  const linux = exampleConfig().pools[0]!;

  describe('readConfig', () => {
    it('fills every absent section with the defaults and keeps only the compute kind of a pool', () => {
      const read = readConfig({ pools: [linux] });
      if (!read.ok) throw new Error(read.problems.join('; '));
      expect(read.config.settings).toMatchObject({
        repositoryAllowList: [],
        jobRetryAfterMinutes: 10,
        maxRunnerRequestsPerJob: 3,
        jobQueueLimitMinutes: 1440,
      });
      expect(read.config.settings.pools[0]).toMatchObject({ id: 'linux', compute: 'ec2', maxRunners: 6 });
      expect(read.config.simulation).toEqual({
        runnerBootMinutes: 1,
        scaleDownEveryMinutes: 5,
        topUpEveryMinutes: 1,
        reconcileEveryMinutes: 5,
        drainMinutes: 240,
      });
    });

    it('reports unknown sections, out-of-range settings and delays SQS cannot hold, all at once', () => {
      const read = readConfig({
        pools: [linux],
        extra: true,
        settings: { jobRetryAfterMinutes: 0, repositoryAllowList: ['web'] },
        options: { maxRunnersRetrySeconds: 1000 },
        simulation: { scaleDownEveryMinutes: 0 },
      });
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.problems).toEqual([
        'config.extra: unknown section (known: pools, settings, options, simulation)',
        'settings.jobRetryAfterMinutes: must be a whole number ≥ 1, got 0',
        'settings.repositoryAllowList: must be a list of "owner/repo" names',
        'options.maxRunnersRetrySeconds: at most 900 (the SQS delay limit), got 1000',
        'simulation.scaleDownEveryMinutes: must be a whole number ≥ 1, got 0',
      ]);
    });
  });

  describe('readTrace', () => {
    it('repeats counted entries, orders jobs by arrival and numbers them from 1', () => {
      const read = readTrace({
        start: '2026-03-02T12:00:00Z',
        jobs: [
          {
            at: '2026-03-02T12:05:00Z',
            owner: 'acme',
            repo: 'web',
            labels: ['self-hosted'],
            durationMinutes: 2,
          },
          { atMinute: 1, owner: 'acme', repo: 'api', labels: ['self-hosted'], durationMinutes: 3, count: 2 },
        ],
      });
      if (!read.ok) throw new Error(read.problems.join('; '));
      expect(read.trace.start).toBe('2026-03-02T12:00:00.000Z');
      expect(read.trace.jobs.map((job) => [job.id, job.atMinute, job.repo])).toEqual([
        [1, 1, 'api'],
        [2, 1, 'api'],
        [3, 5, 'web'],
      ]);
    });

    it('rejects an arrival before the start or between minutes', () => {
      const entry = { owner: 'acme', repo: 'web', labels: ['self-hosted'], durationMinutes: 2 };
      const read = readTrace({
        start: '2026-03-02T12:00:00Z',
        jobs: [
          { ...entry, at: '2026-03-02T11:59:00Z' },
          { ...entry, at: '2026-03-02T12:00:30Z' },
        ],
      });
      expect(read.ok ? [] : read.problems).toEqual([
        'trace.jobs[0].at: must be a whole minute at or after trace.start',
        'trace.jobs[1].at: must be a whole minute at or after trace.start',
      ]);
    });
  });

  describe('traceArb', () => {
    it('aims the jobs of a repo-level pool at its repository, so random traces exercise it', () => {
      const read = readConfig({ pools: [{ ...linux, level: 'repo', owner: 'acme/monorepo' }] });
      if (!read.ok) throw new Error(read.problems.join('; '));
      const traces = fc.sample(traceArb(read.config), { numRuns: 20, seed: 1 });
      const repos = new Set(traces.flatMap((trace) => trace.jobs.map((job) => job.repo)));
      expect(repos).toEqual(new Set(['monorepo', 'app'])); // 'app': the jobs no pool serves
    });
  });

  describe('the simulated GitHub', () => {
    it('gives a job to a runner only when every runs-on label fits (case-insensitive) and the scope is the owner or the repository', () => {
      const job = { owner: 'Acme', repo: 'web', labels: ['self-hosted', 'Linux'] };
      expect(runnerTakes({ labels: ['linux', 'x64'], scope: 'acme' }, job)).toBe(true);
      expect(runnerTakes({ labels: ['linux'], scope: 'acme/web' }, job)).toBe(true);
      expect(runnerTakes({ labels: ['linux'], scope: 'acme/api' }, job)).toBe(false);
      expect(runnerTakes({ labels: ['x64'], scope: 'acme' }, job)).toBe(false);
    });
  });

  describe('the invariant checks', () => {
    const setup = (maxRunners: number) => {
      const read = readConfig({ pools: [{ ...linux, maxRunners }] });
      if (!read.ok) throw new Error(read.problems.join('; '));
      const { settings } = read.config;
      const fx = scalerFixture(settings);
      const world: Observations = {
        queued: new Map(),
        running: new Map(),
        started: new Map(),
        completed: new Map(),
        violations: [],
        peak: new Map(),
        idleMinutes: new Map(),
        hourlyIdle: new Map(),
      };
      return { settings, fx, world, pool: settings.pools[0]! };
    };
    const job = {
      id: 7,
      atMinute: 0,
      owner: 'acme',
      repo: 'web',
      labels: ['self-hosted'],
      durationMinutes: 5,
    };

    it('flag a pool with more machines alive than its maximum', async () => {
      const { settings, fx, world } = setup(1);
      fx.ec2.addLeak(RunnerId('r1'), PoolId('linux'), fx.clock.now());
      fx.ec2.addLeak(RunnerId('r2'), PoolId('linux'), fx.clock.now());
      await observe(fx, settings, world, 3, async () => 0);
      expect(world.violations).toEqual(['minute 3: pool linux has 2 runners alive, above its maximum of 1']);
      expect(world.peak.get('linux')).toBe(2);
    });

    it('flag a pool whose own stream counts more alive runners than its maximum', async () => {
      const { settings, fx, world } = setup(1);
      await observe(fx, settings, world, 4, async () => 2);
      expect(world.violations).toEqual(['minute 4: pool linux has 2 runners alive, above its maximum of 1']);
    });

    it('flag a runner whose machine was terminated while it ran a job, and drop the job', async () => {
      const { settings, fx, world, pool } = setup(5);
      const instanceId = fx.ec2.addLeak(RunnerId('r1'), PoolId('linux'), fx.clock.now());
      const runnerName = runnerNameFor(pool, RunnerId('r1'));
      world.running.set(7, { job, runnerName, endsAt: 9 });
      await observe(fx, settings, world, 5, async () => 1);
      expect(world.violations).toEqual([]);
      await fx.ec2.terminate(instanceId);
      await observe(fx, settings, world, 6, async () => 0);
      expect(world.violations).toEqual([
        `minute 6: runner ${runnerName} was terminated while busy with job 7`,
      ]);
      expect(world.running.size).toBe(0);
    });

    it('count a minute of idle runner time for each online, idle registration with a live machine', async () => {
      const { settings, fx, world, pool } = setup(5);
      fx.ec2.addLeak(RunnerId('r1'), PoolId('linux'), fx.clock.now());
      fx.ec2.addLeak(RunnerId('r2'), PoolId('linux'), fx.clock.now());
      const register = (id: number, runner: string, busy: boolean) =>
        fx.registry.registrations.set(id, {
          githubRunnerId: id,
          name: runnerNameFor(pool, RunnerId(runner)),
          status: 'online',
          busy,
          labels: ['linux'],
          scope: 'acme',
        });
      register(1, 'r1', false);
      register(2, 'r2', true);
      register(3, 'gone', false);
      await observe(fx, settings, world, 0, async () => 2);
      await observe(fx, settings, world, 1, async () => 2);
      expect(world.idleMinutes.get('linux')).toBe(2);
    });
  });

  describe('the duplicate-launch check', () => {
    it('names a launch key that produced two machines and passes keys with one', () => {
      const machine = (instanceId: string, key: string) => ({
        instanceId: InstanceId(instanceId),
        runnerId: RunnerId('r1'),
        poolId: 'linux',
        alive: true,
        launchedAt: '2026-03-02T12:00:00.000Z',
        key,
      });
      expect(duplicateLaunches([machine('i-1', 'r1-1'), machine('i-2', 'r2-1')])).toEqual([]);
      expect(duplicateLaunches([machine('i-1', 'r1-1'), machine('i-2', 'r1-1')])).toEqual([
        'launch idempotency key r1-1 produced 2 machines',
      ]);
    });
  });

  describe('percentile', () => {
    it('takes the nearest rank, and is null without values', () => {
      const waits = [5, 1, 4, 2, 3, 10, 6, 7, 8, 9];
      expect(percentile(waits, 50)).toBe(5);
      expect(percentile(waits, 95)).toBe(10);
      expect(percentile([3], 95)).toBe(3);
      expect(percentile([], 50)).toBeNull();
    });
  });
});
