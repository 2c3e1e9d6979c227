// `hangar waiting`, `pools`, `runner` and the exit codes, against DynamoDB Local.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { poolConfig, scalerSettings, type ScalerFixture } from '@hangar/core/testing/scaler-fixture';
import { threeJobsOnAFullPool } from '@hangar/core/testing/scaler-steps';
import { scenarioFixture } from '@hangar/core/testing/wait-scenarios';
import { dropTables, freshTable, hangar } from './spec-support';

let tableName = '';
let fx: ScalerFixture;

beforeAll(async () => {
  const table = await freshTable();
  tableName = table.tableName;
  fx = scenarioFixture(
    {
      code: 'pool-at-max',
      title: 'a full pool',
      settings: scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]),
      run: async () => '' as never,
    },
    table.store,
  );
  await threeJobsOnAFullPool(fx);
});

afterAll(dropTables);

const now = () => fx.clock.now();
const ESC = '\u001b';

describe('hangar waiting', () => {
  it('lists every waiting job with its reason, longest wait first, aligned', async () => {
    const { code, out } = await hangar(['waiting', '--now', now()], tableName);
    expect(code).toBe(0);
    const rows = out.split('\n').filter((line) => /^\d+\s+\d/.test(line));
    expect(rows.map((row) => row.split(/\s+/).slice(0, 4))).toEqual([
      ['1', '2m00s', 'linux', 'runner-booting'],
      ['2', '1m00s', 'linux', 'pool-at-max'],
      ['3', '0s', 'linux', 'pool-at-max'],
    ]);
    expect(new Set(rows.map((row) => row.indexOf('acme/app'))).size).toBe(1);
    expect(out).toContain('3 jobs waiting');
    expect(out).not.toContain(ESC);
  });

  it('colours only on a terminal, and --no-color turns it off there', async () => {
    expect((await hangar(['waiting', '--now', now()], tableName, true)).out).toContain(`${ESC}[33m`);
    expect((await hangar(['waiting', '--now', now(), '--no-color'], tableName, true)).out).not.toContain(ESC);
  });

  it('answers --json with the reasons as data', async () => {
    const { out } = await hangar(['waiting', '--now', now(), '--json'], tableName);
    const parsed = JSON.parse(out) as { waiting: { jobId: string; reason: { code: string } }[] };
    expect(parsed.waiting.map((job) => [job.jobId, job.reason.code])).toEqual([
      ['1', 'runner-booting'],
      ['2', 'pool-at-max'],
      ['3', 'pool-at-max'],
    ]);
  });
});

describe('hangar pools', () => {
  it('shows alive against the configured maximum, the fleet by status, waiting jobs by reason and launches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-pools-'));
    const pools = join(dir, 'pools.json');
    writeFileSync(
      pools,
      JSON.stringify([
        { id: 'linux', maxRunners: 1 },
        { id: 'idle-pool', maxRunners: 4 },
      ]),
    );
    const { code, out } = await hangar(['pools', '--now', now(), '--pools', pools], tableName);
    expect(code).toBe(0);
    const row = (pool: string) =>
      out
        .split('\n')
        .find((line) => line.startsWith(`${pool} `))
        ?.split(/\s+/);
    expect(row('linux')).toEqual(['linux', '1/1', '1', '0', '0', '0', '3', '2m00s', '1', '0']);
    expect(row('idle-pool')).toEqual(['idle-pool', '0/4', '0', '0', '0', '0', '0', '-', '0', '0']);
    expect(out).toMatch(/linux +pool-at-max 2, runner-booting 1/);
  });
});

describe('hangar runner and hangar job lookups', () => {
  it('finds a runner by its id, its instance id and its GitHub runner name', async () => {
    const byId = await hangar(['runner', 'j1-1', '--now', now(), '--json'], tableName);
    const instanceId = (JSON.parse(byId.out) as { story: { machine: { instanceId: string } } }).story.machine
      .instanceId;
    for (const key of ['j1-1', instanceId, 'hgr-j1-1']) {
      const { code, out } = await hangar(['runner', key, '--now', now()], tableName);
      expect([code, out.split('\n')[0]]).toEqual([0, 'Runner j1-1  pool linux · ephemeral · ec2']);
    }
  });

  it('takes a job URL from the Actions UI', async () => {
    const { code, out } = await hangar(
      ['job', 'https://github.com/acme/app/actions/runs/77/job/2', '--now', now()],
      tableName,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^Job 2 /);
  });
});

describe('exit codes', () => {
  it('exits 1 for a job or runner the table does not hold', async () => {
    expect((await hangar(['job', '424242'], tableName)).code).toBe(1);
    expect((await hangar(['runner', 'i-0nothing'], tableName)).code).toBe(1);
  });

  it('exits 2 for bad usage and prints the usage', async () => {
    const bad = await hangar(['jobs'], tableName);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown command "jobs"[\s\S]*usage: hangar/);
    expect((await hangar(['job'], tableName)).code).toBe(2);
    expect((await hangar(['waiting', '--now', 'yesterday'], tableName)).code).toBe(2);
  });

  it('exits 3 when the table cannot be read, naming the table', async () => {
    const { code, err } = await hangar(['waiting'], 'no-such-table');
    expect(code).toBe(3);
    expect(err).toMatch(/could not read table no-such-table/);
  });

  it('npm run hangar (scripts/hangar.mjs) bundles the CLI and exits with the same codes', () => {
    const script = fileURLToPath(new URL('../../../scripts/hangar.mjs', import.meta.url));
    const endpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT ?? '';
    const run = spawnSync(
      process.execPath,
      [script, 'runner', 'nobody', '--table', tableName, '--endpoint', endpoint],
      {
        encoding: 'utf8',
      },
    );
    expect([run.status, run.stderr.trim()]).toEqual([
      1,
      'hangar: runner nobody: nothing recorded under that id, instance id or name',
    ]);
  });

  it('the installed bin exits with the same codes', () => {
    const bin = fileURLToPath(new URL('../bin/hangar.mjs', import.meta.url));
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'job',
        '424242',
        '--table',
        tableName,
        '--endpoint',
        process.env.HANGAR_TEST_DYNAMODB_ENDPOINT ?? '',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect([run.status, run.stderr.trim()]).toEqual([
      1,
      'hangar: job 424242: nothing recorded (another table or region, or older than the retention)',
    ]);
  });
});
