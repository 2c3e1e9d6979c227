import type { RunnerDescription } from '@hangar/core';
import { describeEvent } from './events';
import { failureText } from './reason';
import { columns, duration, time, type Style } from './text';

/** `hangar runner`: its machine, registration, launch attempts, jobs, why it was retired, timeline. */
export function renderRunner(described: RunnerDescription, s: Style): string[] {
  const { story, jobs } = described;
  const header = `${s.bold(`Runner ${story.runnerId}`)}  pool ${story.poolId} · ${story.ephemeral ? 'ephemeral' : 'reusable'} · ${story.compute}`;
  const machine = story.machine
    ? `${story.machine.instanceId}${story.machine.instanceType ? ` ${story.machine.instanceType}` : ''} (${story.machine.capacityType}), launched ${time(story.machine.launchedAt)}`
    : 'none';
  const registration = story.registration
    ? `${story.registration.runnerName}${story.registration.githubRunnerId !== null ? ` (GitHub id ${story.registration.githubRunnerId})` : ''}${story.onlineAt ? `, online ${time(story.onlineAt)}` : ''}`
    : 'not issued';
  const attempts = story.launchAttempts.map((attempt) =>
    attempt.failure
      ? failureText(attempt.failure)
      : `attempt ${attempt.attempt} (${attempt.capacityType}) ${attempt.outcome}`,
  );
  const jobText = (jobId: string | null) => {
    const found = jobs.find((job) => job.jobId === jobId);
    return `${jobId ?? '(not named)'}${found ? ` ${found.status}` : ''}`;
  };
  const ran = story.jobs.map(
    (job) => `${jobText(job.jobId)} ${time(job.startedAt)} → ${time(job.finishedAt)}`,
  );
  const retired = story.retired
    ? `${story.retired.reason}${story.retired.detail ? ` (${story.retired.detail})` : ''} at ${time(story.retired.decidedAt)}${story.retired.terminatedAt ? `, machine gone ${time(story.retired.terminatedAt)}` : ''}`
    : 'no';
  const statusColour = story.status === 'launch_failed' ? s.red : story.retired ? s.dim : s.green;
  const lines = [
    header,
    ...columns([
      ['Status', `${statusColour(story.status)} — lived ${duration(story.lifetimeSeconds)}`],
      [
        'Requested',
        `${time(story.requestedAt)}${story.requestedForJobId ? ` for job ${jobText(story.requestedForJobId)}` : ' (pool top-up)'}`,
      ],
      ['Machine', machine],
      ['Registration', registration],
      ['Launches', attempts.length > 0 ? attempts.join('; ') : 'none'],
      ['Jobs run', ran.length > 0 ? ran.join('; ') : 'none'],
      ['Interrupted', story.interruptedAt ? time(story.interruptedAt) : 'no'],
      ['Retired', retired],
    ]),
    '',
    s.bold('Timeline') + s.dim('  (UTC; +time since the previous step)'),
  ];
  const rows = story.timeline.map((entry) => [
    time(entry.at),
    entry.sincePreviousSeconds === null ? '' : `+${duration(entry.sincePreviousSeconds)}`,
    describeEvent(entry.type, entry.data),
  ]);
  lines.push(...columns(rows).map((line) => `  ${line}`));
  return lines;
}
