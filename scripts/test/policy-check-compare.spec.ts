import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poolConfig } from '../../packages/core/src/testing/scaler-fixture';
import { comparisonLines, runPolicy } from '../policy-check/compare';
import { readConfig } from '../policy-check/config';
import { estimatedCost, instanceTypesOf, poolPrice } from '../policy-check/cost';
import { readTrace } from '../policy-check/trace';
import { policyCheckInProcess } from './support/cli-run';

const pools = (maxRunners: number) => ({
  pools: [
    {
      id: 'linux',
      labels: ['self-hosted', 'linux'],
      owner: 'acme',
      maxRunners,
      compute: {
        kind: 'ec2',
        launchTemplateName: 'lt',
        subnetIds: ['subnet-1'],
        instanceTypes: ['m7i.large'],
      },
    },
  ],
});
const traceDoc = {
  start: '2026-03-02T08:00:00Z',
  jobs: [
    {
      atMinute: 0,
      owner: 'acme',
      repo: 'web',
      labels: ['self-hosted', 'linux'],
      durationMinutes: 10,
      count: 4,
    },
  ],
};

describe('the cost model', () => {
  it('prices a spot pool at its first instance type on-demand times the spot factor', () => {
    const price = poolPrice(poolConfig({ id: 'linux' }), ['m7i.large', 'm6i.large']);
    expect(price.usdPerHour).toBeCloseTo(0.1008 * 0.35, 6);
    expect(estimatedCost({ linux: 120 }, [price])).toBeCloseTo(2 * 0.1008 * 0.35, 6);
  });

  it('prices on-demand and Fargate pools, takes overrides, and says when it assumed a price', () => {
    const onDemand = poolConfig({ id: 'od', capacity: { type: 'on-demand', onDemandFailoverFor: [] } });
    expect(poolPrice(onDemand, ['m7i.large'], { 'm7i.large': 0.2 }).usdPerHour).toBe(0.2);
    expect(poolPrice(poolConfig({ id: 'f', compute: 'fargate' }), undefined).usdPerHour).toBe(0.0987);
    expect(poolPrice(onDemand, ['x9.mega']).basis).toMatch(/price unknown: \$0.10\/h assumed/);
  });

  it('prices a policy written as Terraform runner_configs at the instance types it renders to', () => {
    const labels = ['self-hosted', 'linux'];
    const config = readConfig({
      linux: { labels, owner: 'acme', max_runners: 2, instance_types: ['m7i.2xlarge'] },
    });
    if (!config.ok) throw new Error(config.problems.join('; '));
    expect(config.form).toBe('runner-configs');
    // --compare prices what the configuration renders to, whichever form it was written in.
    expect(instanceTypesOf(config.document)).toEqual({ linux: ['m7i.2xlarge'] });
  });
});

describe('policy-check --compare', () => {
  it('puts waits, idle minutes, launches and cost of two policies side by side', async () => {
    const trace = readTrace(traceDoc);
    const narrow = readConfig(pools(1));
    const wide = readConfig(pools(4));
    if (!trace.ok || !narrow.ok || !wide.ok) throw new Error('invalid fixture');
    const runs = [
      await runPolicy('one runner', narrow.config, pools(1), trace.trace),
      await runPolicy('four runners', wide.config, pools(4), trace.trace),
    ];
    const [narrowRun, wideRun] = runs;
    // One runner serves the four 10-minute jobs one after the other; four serve them at once.
    expect(Math.max(...narrowRun!.waits)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...wideRun!.waits)).toBeLessThan(5);
    const lines = comparisonLines(runs);
    expect(lines[0]).toMatch(/^ +one runner +four runners$/);
    expect(lines.find((line) => line.startsWith('wait p95'))).toMatch(/wait p95 +\d+ min +\d+ min/);
    expect(lines.find((line) => line.startsWith('estimated cost (USD)'))).toMatch(/\$\d+\.\d\d +\$\d+\.\d\d/);
  });

  it('writes the comparison as JSON and a self-contained HTML report beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-compare-'));
    for (const [name, doc] of [
      ['a.json', pools(1)],
      ['b.json', pools(4)],
      ['trace.json', traceDoc],
    ] as const)
      writeFileSync(join(dir, name), JSON.stringify(doc));
    const run = await policyCheckInProcess(
      '--compare',
      join(dir, 'a.json'),
      join(dir, 'b.json'),
      '--trace',
      join(dir, 'trace.json'),
      '--report',
      join(dir, 'out', 'compare.json'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/estimated cost \(USD\)/);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'compare.json'), 'utf8')) as { runs: unknown[] };
    expect(json.runs).toHaveLength(2);
    const html = readFileSync(join(dir, 'out', 'compare.html'), 'utf8');
    expect(existsSync(join(dir, 'out', 'compare.html'))).toBe(true);
    expect(html).toContain('Chart.js');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('refuses --compare without two configurations and a trace (exit 2)', async () => {
    const { code } = await policyCheckInProcess('--compare', 'a.json');
    expect(code).toBe(2);
  });
});
