// `npm run demo -- --keep` on a tiny workload: after the demo's teardown, DynamoDB Local and
// the tables are still up, and every `npm run hangar` command it prints answers against them.
// The DynamoDB Local is the jest run's (starting a JVM of its own costs half a minute on a
// loaded machine); that `npm run demo -- --keep` starts it detached, so it outlives the node
// process, is `startKeptDynamoDb`, checked by hand (docs/operations.md has the transcript).
import { execFile } from 'node:child_process';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createEventStoreClient } from '@hangar/adapter-aws';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { keptInstructions, type KeptDemo } from './demo-keep';
import { runKeptDemo } from './demo-kept-run';
import type { DemoResult, Workload } from './demo-run';
import { runtimeHandlers } from './runtime-handlers';

/**
 * Two one-minute jobs at once on a pool of one spot runner while spot capacity is out, in
 * steps of a simulated minute (the demo's own steps are 10 s: the same run, fewer steps).
 */
const workload: Workload = {
  repos: ['acme/web'],
  pools: [
    {
      id: 'linux-x64',
      labels: ['self-hosted', 'linux', 'x64'],
      owner: 'acme',
      maxRunners: 1,
      minimumRunningTimeMinutes: 1,
      bootTimeMinutes: 5,
      capacity: { type: 'spot', onDemandFailoverFor: ['InsufficientInstanceCapacity'] },
      compute: {
        kind: 'ec2',
        launchTemplateName: 'hangar-linux-x64',
        subnetIds: ['subnet-0a1b2c3d'],
        instanceTypes: ['m7i.large'],
      },
    },
  ],
  trace: {
    seed: 7,
    minutes: 1,
    backgroundJobs: 0,
    classes: [{ labels: ['self-hosted', 'linux', 'x64'], weight: 1, minSeconds: 60, maxSeconds: 60 }],
    bursts: [{ atMinute: 0, count: 2, classIndex: 0 }],
    duplicateRate: 0,
    dropRate: 0,
  },
  faults: [
    { atMinute: 0, kind: 'spot-capacity', available: 0 },
    { atMinute: 2, kind: 'spot-capacity', available: 'unlimited' },
  ],
  maxSimulatedMinutes: 20,
  stepSeconds: 60,
};

const endpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT ?? '';
const dir = mkdtempSync(join(tmpdir(), 'hangar-demo-keep-'));
const stateFile = join(dir, 'demo.json');
const workloadPath = join(dir, 'workload.json');
const hangarScript = fileURLToPath(new URL('../../../../scripts/hangar.mjs', import.meta.url));
let run: { readonly result: DemoResult; readonly kept: KeptDemo };

beforeAll(async () => {
  // As `npm run demo` does: no EMF document per invocation on the terminal (no CloudWatch here).
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  writeFileSync(workloadPath, JSON.stringify(workload));
  run = await runKeptDemo({
    demo: { workload, handlers: runtimeHandlers },
    workloadPath,
    stateFile,
    keepAt: 1,
    dynamoDb: { pid: 0, endpoint },
  });
}, 180_000);

afterAll(() => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

/** The `npm run hangar -- …` lines of the instructions, as the arguments after `--`. */
function printedCommands(lines: readonly string[]): { args: string[]; what: string }[] {
  return lines.flatMap((line) => {
    const match = /^\s*npm run hangar -- (.+?)(?:\s+# (.*))?$/.exec(line);
    return match ? [{ args: (match[1] ?? '').split(/\s+/), what: match[2] ?? '' }] : [];
  });
}

describe('npm run demo -- --keep', () => {
  it("leaves the run's table and its copy at the keep minute up after the demo, described for --stop", async () => {
    expect(run.result.finished).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual(run.kept);
    const names = [run.result.tableName, `${run.result.tableName}-t1`];
    expect(run.kept.tables.map((table) => table.name)).toEqual(names);
    const client = createEventStoreClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const listed = await client.send(new ListTablesCommand({}));
      expect(listed.TableNames).toEqual(expect.arrayContaining(names));
    } finally {
      client.destroy();
    }
  });

  it('prints hangar commands that answer against the kept tables with the recorded reasons', async () => {
    const lines = keptInstructions(run.kept);
    expect(lines.at(-1)).toBe('Stop it with: npm run demo -- --stop');
    const commands = printedCommands(lines);
    const jobs = commands.filter((command) => command.args[0] === 'job').map((command) => command.what);
    expect(jobs).toEqual(['waited on a full pool', 'launched during the spot capacity outage']);
    const answers = await Promise.all(
      commands.map(async (command) => {
        const { stdout } = await promisify(execFile)(process.execPath, [hangarScript, ...command.args]);
        return { command, stdout };
      }),
    );
    const answer = (test: (args: string[]) => boolean) =>
      answers.find(({ command }) => test(command.args))?.stdout ?? '';
    const frozen = `${run.result.tableName}-t1`;
    expect(answer((args) => args[0] === 'waiting' && args.includes(frozen))).toMatch(/pool-at-max/);
    expect(answer((args) => args[0] === 'waiting' && !args.includes(frozen))).toMatch(
      /No job is waiting for a runner/,
    );
    expect(answer((args) => args[0] === 'pools' && args.includes(frozen))).toMatch(/^linux-x64 +1\/1 /m);
    const job = (what: string) => answer((args) => args[0] === 'job' && args[1] === run.kept.examples[what]);
    expect(job('waited on a full pool')).toMatch(/pool-at-max/);
    expect(job('launched during the spot capacity outage')).toMatch(/capacity/i);
  });
});
