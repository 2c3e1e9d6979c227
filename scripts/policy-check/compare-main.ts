// The file-writing and printing side of --compare and --report (main.ts parses the flags).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolicyCheckConfig } from './config';
import { comparisonLines, runPolicy, type PolicyRun } from './compare';
import { policyHtml } from './html';
import type { Trace } from './trace';

export interface NamedConfig {
  readonly path: string;
  readonly config: PolicyCheckConfig;
  readonly raw: unknown;
}

/** Writes `<report>.json` and `<report>.html` (the HTML beside the JSON); returns both paths. */
export function writeReport(runs: readonly PolicyRun[], tracePath: string, reportPath: string): string[] {
  const json = reportPath.endsWith('.json') ? reportPath : `${reportPath}.json`;
  const html = json.replace(/\.json$/, '.html');
  const summary = runs.map((run) => ({
    config: run.name,
    waitsMinutes: run.waits,
    machineMinutes: run.machineMinutes,
    prices: run.prices,
    estimatedCostUsd: Math.round(run.costUsd * 100) / 100,
    pools: run.result.pools,
    launchCalls: run.result.launchCalls,
    violations: run.result.violations,
    series: run.series,
  }));
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, `${JSON.stringify({ trace: tracePath, runs: summary }, null, 2)}\n`);
  writeFileSync(html, policyHtml(runs, tracePath));
  return [json, html];
}

/** `--compare A B --trace T`: both policies on the trace; true when both kept every invariant. */
export async function comparePolicies(
  configs: readonly [NamedConfig, NamedConfig],
  trace: Trace,
  tracePath: string,
  reportPath: string | undefined,
  prices: Readonly<Record<string, number>>,
  print: (line: string) => void,
): Promise<boolean> {
  const runs: PolicyRun[] = [];
  for (const named of configs) runs.push(await runPolicy(named.path, named.config, named.raw, trace, prices));
  print(`compare on trace ${tracePath} (${trace.jobs.length} jobs)`);
  for (const line of comparisonLines(runs)) print(`  ${line}`);
  for (const run of runs)
    for (const violation of run.result.violations) print(`  ✗ ${run.name}: ${violation}`);
  if (reportPath) print(`report written to ${writeReport(runs, tracePath, reportPath).join(' and ')}`);
  return runs.every((run) => run.result.violations.length === 0);
}
