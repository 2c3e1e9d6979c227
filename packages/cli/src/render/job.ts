import type { JobDescription } from '@hangar/core';
import { describeEvent } from './events';
import { reasonText } from './reason';
import { columns, duration, offset, time, type Style } from './text';

/** `hangar job`: status (and why it waits), the wait by stretch, the timeline, the runners asked for. */
export function renderJob(described: JobDescription, s: Style): string[] {
  const { story, holders } = described;
  const info = story.info;
  const lines = [
    `${s.bold(`Job ${story.jobId}`)}  ${info ? `${info.owner}/${info.repo} · ${info.name || '(unnamed)'} · [${info.labels.join(', ')}]` : '(queued event never received)'}`,
  ];
  const situation = story.situation;
  switch (situation.kind) {
    case 'waiting':
      lines.push(
        `${s.yellow('WAITING')} ${duration(situation.waitedSeconds)} — ${reasonText(situation.reason)}`,
      );
      break;
    case 'running':
      lines.push(
        `${s.green('RUNNING')} on ${situation.runnerName ?? '?'} since ${time(situation.startedAt)} (waited ${duration(situation.waitedSeconds)})`,
      );
      break;
    case 'completed': {
      const rerun = situation.interrupted ? `, interrupted${rerunText(situation)}` : '';
      const colour = situation.conclusion === 'success' ? s.green : s.red;
      lines.push(
        `${colour(`COMPLETED ${situation.conclusion}`)} at ${time(situation.completedAt)} on ${situation.runnerName ?? '?'} (waited ${duration(situation.waitedSeconds)}${rerun})`,
      );
      break;
    }
    case 'unknown':
      lines.push('UNKNOWN: nothing recorded about this job');
  }
  if (holders && holders.length > 0) {
    lines.push('', s.bold('Slots held by'));
    const rows = holders.map((holder) => [
      holder.runnerId,
      holder.runner?.status ?? 'not listed',
      holder.runner?.currentJobId
        ? `job ${holder.runner.currentJobId}`
        : holder.runner?.requestedForJobId
          ? `for job ${holder.runner.requestedForJobId}`
          : '',
      `since ${time(holder.since)}`,
    ]);
    lines.push(...columns(rows).map((line) => `  ${line}`));
  }
  if (story.waits.length > 0) {
    lines.push(
      '',
      `${s.bold('Wait')}  ${story.waits.map((w) => `${w.reason.code} ${duration(w.seconds)}`).join(' → ')}`,
    );
  }
  lines.push('', s.bold('Timeline') + s.dim('  (UTC; +time since queued)'));
  const rows = story.timeline.map((entry) => [
    time(entry.at),
    offset(entry.sinceQueuedSeconds),
    entry.source === 'job' ? 'job' : `runner ${entry.source}`,
    describeEvent(entry.type, entry.data),
  ]);
  lines.push(...columns(rows).map((line) => `  ${line}`));
  if (story.runners.length > 0) {
    lines.push('', s.bold('Runners requested'));
    const runnerRows = story.runners.map((runner) => [
      runner.runnerId,
      runner.poolId,
      `attempt ${runner.attempt}`,
      runner.cause ? `${runner.reason}: ${runner.cause}` : runner.reason,
      runner.status,
    ]);
    lines.push(...columns(runnerRows).map((line) => `  ${line}`));
  }
  return lines;
}

function rerunText(situation: Extract<JobDescription['story']['situation'], { kind: 'completed' }>): string {
  if (situation.rerunRequested) return ', re-run requested';
  if (situation.rerunRefused) return `, GitHub refused the re-run (${situation.rerunRefused})`;
  if (situation.rerunDeferred) return ', re-run deferred until the workflow run ends';
  return ', re-run not requested yet';
}
