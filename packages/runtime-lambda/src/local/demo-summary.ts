import type { ControlPlaneReport } from './report';

const row = (label: string, value: string | number): string => `  ${label.padEnd(34, ' ')}${value}`;

/** The human-readable end of the demo: the report's headline numbers and the invariants. */
export function formatSummary(report: ControlPlaneReport, problems: readonly string[]): string {
  const lines = [
    'Summary',
    row(
      'jobs queued / completed',
      `${report.jobsQueued} / ${report.jobsCompleted} (${report.jobsRerun} re-run attempts)`,
    ),
    row(
      'wait to start p50 / p95 / max',
      `${report.waitP50Seconds} s / ${report.waitP95Seconds} s / ${report.waitMaxSeconds} s`,
    ),
    row('runners launched', report.runnersLaunched),
    row('peak runners alive / max', `${report.peakRunnersAlive} / ${report.maxRunners}`),
  ];
  for (const [pool, stats] of Object.entries(report.pools)) {
    lines.push(
      row(`  ${pool}`, `peak ${stats.peakAlive} / max ${stats.maxRunners}, launched ${stats.launched}`),
    );
  }
  lines.push(
    row('duplicate launches', report.duplicateLaunches),
    row('idle runner-minutes', report.idleRunnerMinutes),
    row('GitHub calls per job (all HTTP)', report.githubCallsPerJob),
    row('  REST calls charged to the App', report.githubAppCallsPerJob ?? '-'),
    ...githubSplitRows(report),
    row('AWS API calls per job', report.awsCallsPerJob),
    row('events written', report.eventsWritten),
    row(
      'messages in dead-letter queues',
      Object.values(report.deadLetters).reduce((a, b) => a + b, 0),
    ),
    row('simulated / wall time', `${report.simulatedMinutes} min / ${report.wallSeconds} s`),
    row('invocations stopped by the load', report.invocationsTimedOut ?? 0),
    '',
    problems.length === 0
      ? 'All invariants held.'
      : `INVARIANTS FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  return lines.join('\n');
}

/** The per-job part of the GitHub calls, and the schedules' part as calls per simulated hour. */
function githubSplitRows(report: ControlPlaneReport): string[] {
  const split = report.githubSplit;
  if (split === undefined) return [];
  return [
    row('  for jobs and runners', `${split.jobCalls} calls = ${split.jobCallsPerJob} per job`),
    row(
      '  periodic (schedules)',
      `${split.periodicCalls} calls = ${split.periodicCallsPerHour} an hour (${split.periodicAppCalls} charged)`,
    ),
  ];
}
