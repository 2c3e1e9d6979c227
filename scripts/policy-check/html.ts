// The HTML report of a policy-check run or comparison (Chart.js inlined: opens offline).
import {
  htmlReport,
  waitHistogram,
  type ChartSpec,
  type Series,
} from '../../packages/runtime-lambda/src/local/report-html/html-report';
import { comparisonRows, type PolicyRun } from './compare';

const minutesOf = (runs: readonly PolicyRun[]) => {
  const longest = Math.max(...runs.map((run) => run.series.minutes.length));
  return Array.from({ length: longest }, (_, i) => i);
};

export function policyHtml(runs: readonly PolicyRun[], tracePath: string): string {
  const minutes = minutesOf(runs);
  const tag = (run: PolicyRun, label: string) => (runs.length > 1 ? `${run.name}: ${label}` : label);
  const alive: Series[] = runs.flatMap((run) =>
    run.result.pools.flatMap((pool) => [
      { label: tag(run, `${pool.id} alive`), data: run.series.alive[pool.id] ?? [] },
      ...(pool.maxRunners >= 0
        ? [{ label: tag(run, `${pool.id} max`), data: minutes.map(() => pool.maxRunners), limit: true }]
        : []),
    ]),
  );
  const histograms = runs.map((run) => waitHistogram(run.waits.map((minutesWaited) => minutesWaited * 60)));
  const charts: ChartSpec[] = [
    {
      id: 'alive',
      title: 'Runners alive per pool, against its maximum',
      kind: 'line',
      xLabel: 'minute',
      yLabel: 'machines alive',
      labels: minutes,
      series: alive,
    },
    {
      id: 'jobs',
      title: 'Jobs queued and running',
      kind: 'line',
      xLabel: 'minute',
      yLabel: 'jobs',
      labels: minutes,
      series: runs.flatMap((run) => [
        { label: tag(run, 'queued'), data: run.series.queued },
        { label: tag(run, 'running'), data: run.series.running },
      ]),
    },
    {
      id: 'waits',
      title: 'Wait from queued to running',
      kind: 'bar',
      xLabel: 'wait',
      yLabel: 'jobs',
      labels: histograms[0]?.labels ?? [],
      series: runs.map((run, i) => ({ label: tag(run, 'jobs'), data: histograms[i]?.counts ?? [] })),
    },
    {
      id: 'launches',
      title: 'Machines launched per minute',
      kind: 'bar',
      xLabel: 'minute',
      yLabel: 'launches',
      labels: minutes,
      series: runs.map((run) => ({ label: tag(run, 'launched'), data: run.series.launches })),
    },
  ];
  return htmlReport({
    title:
      runs.length > 1
        ? `Hangar policy-check: ${runs.map((run) => run.name).join(' vs ')}`
        : `Hangar policy-check: ${runs[0]?.name ?? ''}`,
    subtitle: `Trace ${tracePath}, simulated through Hangar's use cases on in-memory twins (no AWS, no GitHub).`,
    table: { header: ['', ...runs.map((run) => run.name)], rows: comparisonRows(runs) },
    charts,
    notes: runs.flatMap((run) =>
      run.prices.map(
        (price) => `${run.name} ${price.pool}: $${price.usdPerHour.toFixed(4)}/h (${price.basis})`,
      ),
    ),
  });
}
