import type { DemoTimeline } from './demo-report-types';
import { htmlReport, waitHistogram, type ChartSpec, type Marker } from './report-html/html-report';
import type { ControlPlaneReport } from './report';

/** The demo's self-contained HTML report: headline numbers and the run, minute by minute. */
export function demoHtml(
  report: ControlPlaneReport,
  timeline: DemoTimeline,
  problems: readonly string[],
): string {
  const minutes = timeline.samples.map((sample) => sample.minute);
  const markers: Marker[] = timeline.faults.map((fault) => ({ x: fault.minute, label: fault.label }));
  const pools = Object.keys(timeline.maxRunners);
  const histogram = waitHistogram(timeline.waits);
  const charts: ChartSpec[] = [
    {
      id: 'alive',
      title: 'Runners alive per pool, against its maximum',
      kind: 'line',
      xLabel: 'simulated minute',
      yLabel: 'machines alive',
      labels: minutes,
      series: pools.flatMap((pool) => [
        { label: `${pool} alive`, data: timeline.samples.map((sample) => sample.alive[pool] ?? 0) },
        ...((timeline.maxRunners[pool] ?? -1) >= 0
          ? [
              {
                label: `${pool} max`,
                data: minutes.map(() => timeline.maxRunners[pool] ?? null),
                limit: true,
              },
            ]
          : []),
      ]),
      markers,
    },
    {
      id: 'jobs',
      title: 'Jobs queued and running',
      kind: 'line',
      xLabel: 'simulated minute',
      yLabel: 'jobs',
      labels: minutes,
      series: [
        { label: 'queued', data: timeline.samples.map((sample) => sample.queued) },
        { label: 'running', data: timeline.samples.map((sample) => sample.running) },
      ],
      markers,
    },
    {
      id: 'waits',
      title: `Wait from queued to running (${timeline.waits.length} job attempts)`,
      kind: 'bar',
      xLabel: 'wait',
      yLabel: 'jobs',
      labels: histogram.labels,
      series: [{ label: 'jobs', data: histogram.counts }],
    },
    {
      id: 'launches',
      title: 'Launches and failed launch attempts per minute',
      kind: 'bar',
      xLabel: 'simulated minute',
      yLabel: 'per minute',
      labels: minutes,
      series: [
        { label: 'machines launched', data: minutes.map((m) => timeline.history.launches[m] ?? 0) },
        {
          label: 'launch attempts failed',
          data: minutes.map((m) => timeline.history.launchFailures[m] ?? 0),
        },
      ],
      markers,
    },
  ];
  return htmlReport({
    title: 'Hangar demo',
    subtitle: `Local control plane, simulated from ${timeline.startedAt} for ${report.simulatedMinutes} minutes. ${problems.length === 0 ? 'All invariants held.' : `INVARIANTS FAILED: ${problems.join('; ')}`}`,
    table: {
      header: ['', ''],
      rows: [
        [
          'jobs queued / completed',
          `${report.jobsQueued} / ${report.jobsCompleted} (${report.jobsRerun} re-run attempts)`,
        ],
        [
          'wait p50 / p95 / max',
          `${report.waitP50Seconds} s / ${report.waitP95Seconds} s / ${report.waitMaxSeconds} s`,
        ],
        ['runners launched', String(report.runnersLaunched)],
        ['peak runners alive / max', `${report.peakRunnersAlive} / ${report.maxRunners}`],
        ['duplicate launches', String(report.duplicateLaunches)],
        ['idle runner-minutes', String(report.idleRunnerMinutes)],
        ['GitHub / AWS API calls per job', `${report.githubCallsPerJob} / ${report.awsCallsPerJob}`],
      ],
    },
    charts,
    notes: timeline.faults.map((fault) => `t+${fault.minute} min: ${fault.label}`),
  });
}
