import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Runs the CLI exactly as `pnpm policy-check` does, from the repository root. */
function policyCheck(...args: string[]): Promise<Run> {
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
    it('exits 0 with the routing, wait, fleet and launch summary and every invariant kept', async () => {
      const run = await policyCheck('--config', example.config, '--trace', example.trace);
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
          { ...first, idleWindows: [{ cron: '* 9-17 * * 1-5', idleCount: 1 }] },
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
      expect(run.stderr).toContain('idleWindows[0]: cron "* 9-17 * * 1-5" must have 6 fields');
      expect(run.stderr).toContain('time zone "Mars/Olympus" is not an IANA time zone');
      expect(run.stdout).not.toContain('jobs routed per pool');
    });
  });

  describe('given a pool whose maximum is 0', () => {
    it('exits 1 reporting the routable jobs that never started', async () => {
      const config = exampleConfig();
      const [first, ...rest] = config.pools;
      const starved = { ...config, pools: [{ ...first, maxRunners: 0 }, ...rest] };
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
    it('exits 1: every runner is retired as boot-timeout and the job never starts', async () => {
      const config = exampleConfig();
      const [first, ...rest] = config.pools;
      const hasty = {
        ...config,
        pools: [{ ...first, bootTimeMinutes: 1 }, ...rest],
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
