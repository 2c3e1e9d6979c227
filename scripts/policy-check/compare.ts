// `policy-check --compare A B --trace T`: two policies on the same trace, side by side — waits,
// idle runner-minutes, launches, machine-minutes and their estimated cost (cost.ts).
import type { PolicyCheckConfig } from './config';
import { estimatedCost, instanceTypesOf, poolPrice, type PoolPrice } from './cost';
import { percentile } from './report';
import type { SimulationResult } from './results';
import { machineMinutes, SeriesRecorder, type PolicySeries } from './series';
import { simulate } from './simulate';
import type { Trace } from './trace';

export interface PolicyRun {
  readonly name: string;
  readonly result: SimulationResult;
  readonly series: PolicySeries;
  readonly waits: readonly number[];
  readonly machineMinutes: Readonly<Record<string, number>>;
  readonly prices: readonly PoolPrice[];
  readonly costUsd: number;
}

/** Simulates one configuration on the trace, keeping its minute-by-minute series and cost. */
export async function runPolicy(
  name: string,
  config: PolicyCheckConfig,
  raw: unknown,
  trace: Trace,
  priceOverrides: Readonly<Record<string, number>> = {},
): Promise<PolicyRun> {
  const recorder = new SeriesRecorder(config.settings);
  const result = await simulate(config, trace, recorder);
  const types = instanceTypesOf(raw);
  const prices = config.settings.pools.map((pool) => poolPrice(pool, types[pool.id], priceOverrides));
  const minutes = machineMinutes(recorder.series);
  const waits = result.jobs
    .filter((job) => 'pool' in job.route && job.startedMinute !== null)
    .map((job) => (job.startedMinute ?? 0) - job.job.atMinute);
  return {
    name,
    result,
    series: recorder.series,
    waits,
    machineMinutes: minutes,
    prices,
    costUsd: estimatedCost(minutes, prices),
  };
}

const sum = (values: Record<string, number> | readonly number[]) =>
  Object.values(values).reduce((total: number, n: number) => total + n, 0);

/** The comparison's rows: label, then one value per policy. */
export function comparisonRows(runs: readonly PolicyRun[]): string[][] {
  const minutes = (value: number | null) => (value === null ? 'n/a' : `${value} min`);
  return [
    ['wait p50', ...runs.map((run) => minutes(percentile(run.waits, 50)))],
    ['wait p95', ...runs.map((run) => minutes(percentile(run.waits, 95)))],
    ['wait max', ...runs.map((run) => minutes(run.waits.length > 0 ? Math.max(...run.waits) : null))],
    [
      'idle runner-minutes',
      ...runs.map((run) => String(sum(run.result.pools.map((pool) => pool.idleRunnerMinutes)))),
    ],
    [
      'machines launched',
      ...runs.map((run) => String(sum(run.result.pools.map((pool) => pool.machinesLaunched)))),
    ],
    ['machine-minutes', ...runs.map((run) => String(sum(run.machineMinutes)))],
    ['estimated cost (USD)', ...runs.map((run) => `$${run.costUsd.toFixed(2)}`)],
    [
      'invariants',
      ...runs.map((run) =>
        run.result.violations.length === 0 ? 'ok' : `${run.result.violations.length} violated`,
      ),
    ],
  ];
}

/** The comparison as aligned text lines. */
export function comparisonLines(runs: readonly PolicyRun[]): string[] {
  const rows = [['', ...runs.map((run) => run.name)], ...comparisonRows(runs)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
  lines.push('', 'prices (machine-minutes × hourly price / 60):');
  for (const run of runs) {
    for (const price of run.prices)
      lines.push(`  ${run.name} ${price.pool}: $${price.usdPerHour.toFixed(4)}/h — ${price.basis}`);
  }
  return lines;
}
