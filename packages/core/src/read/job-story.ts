import type { JobInfo, RerunRefusalReason, RunnerRequestReason } from '../job/job.events';
import { killedByInterruption } from '../job/job.state';
import type { RunnerNeedReason } from '../scaling/reconcile';
import type { RunnerStatus } from '../scaling/views';
import { toMillis, type IsoTime, type PoolId, type RunnerId } from '../shared/brand';
import {
  eventTime,
  jobHistoryUpTo,
  runnerHistoryUpTo,
  type JobHistory,
  type RunnerHistory,
} from './histories';
import { mergeByTime, type StoryEvent } from './merge-events';
import { waitReason } from './wait-reason';
import type { WaitReason } from './wait-reason-types';

/** One step of a job's life: a job event or an event of a runner requested for it. */
export interface TimelineEntry {
  readonly at: IsoTime;
  /** `job`, or the runner whose stream recorded it. */
  readonly source: 'job' | RunnerId;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Seconds from the job being queued to this step (null when `queued` was never delivered). */
  readonly sinceQueuedSeconds: number | null;
  readonly sincePreviousSeconds: number | null;
}

/** A stretch of the wait during which the reason stayed the same. */
export interface WaitSegment {
  readonly reason: WaitReason;
  readonly from: IsoTime;
  /** null while the job still waits for this reason. */
  readonly to: IsoTime | null;
  readonly seconds: number;
}

export type JobSituation =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'waiting'; readonly reason: WaitReason; readonly waitedSeconds: number }
  | {
      readonly kind: 'running';
      readonly runnerName: string | null;
      readonly startedAt: IsoTime;
      readonly waitedSeconds: number | null;
    }
  | {
      readonly kind: 'completed';
      readonly conclusion: string;
      readonly runnerName: string | null;
      readonly completedAt: IsoTime;
      readonly waitedSeconds: number | null;
      /** Killed by its runner's spot interruption (it did not succeed, and ended at or after the warning). */
      readonly interrupted: boolean;
      readonly rerunRequested: boolean;
      /** GitHub refused the re-run for good (why), or deferred it while the run was in progress. */
      readonly rerunRefused: RerunRefusalReason | null;
      readonly rerunDeferred: boolean;
    };

/** One runner requested for the job, and where it got to. */
export interface JobRunnerSummary {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly attempt: number;
  readonly reason: RunnerRequestReason;
  readonly cause: RunnerNeedReason | null;
  readonly status: RunnerStatus | 'not-recorded';
}

export interface JobStory {
  readonly jobId: string;
  readonly info: JobInfo | null;
  readonly queuedAt: IsoTime | null;
  readonly situation: JobSituation;
  readonly timeline: readonly TimelineEntry[];
  readonly waits: readonly WaitSegment[];
  readonly runners: readonly JobRunnerSummary[];
}

const seconds = (from: IsoTime, to: IsoTime): number => Math.max(0, (toMillis(to) - toMillis(from)) / 1000);

/** A job's story from its stream and the streams of the runners requested for it, as of `now`. */
export function jobStory(job: JobHistory, runners: readonly RunnerHistory[], now: IsoTime): JobStory {
  const state = job.state;
  const queuedAt = state.status === 'unknown' ? null : state.queuedAt;
  const story = mergeByTime([
    { source: 'job', events: job.events },
    ...runners.map((runner) => ({ source: runner.runnerId, events: runner.events })),
  ]);
  return {
    jobId: job.jobId,
    info: state.status === 'unknown' ? null : state.info,
    queuedAt,
    situation: situation(job, runners, queuedAt, now),
    timeline: timeline(story, queuedAt),
    waits: waitSegments(job, runners, story, now),
    runners: requests(job, runners),
  };
}

function situation(
  job: JobHistory,
  runners: readonly RunnerHistory[],
  queuedAt: IsoTime | null,
  now: IsoTime,
): JobSituation {
  const state = job.state;
  const waited = (until: IsoTime | null) => (queuedAt && until ? seconds(queuedAt, until) : null);
  switch (state.status) {
    case 'unknown':
      return { kind: 'unknown' };
    case 'queued': {
      const reason = waitReason(job, runners) as WaitReason;
      return { kind: 'waiting', reason, waitedSeconds: waited(now) ?? 0 };
    }
    case 'in_progress':
      return {
        kind: 'running',
        runnerName: state.runnerName,
        startedAt: state.startedAt,
        waitedSeconds: waited(state.startedAt),
      };
    case 'completed':
      return {
        kind: 'completed',
        conclusion: state.conclusion,
        runnerName: state.runnerName,
        completedAt: state.completedAt,
        waitedSeconds: waited(state.startedAt),
        interrupted: killedByInterruption(state),
        rerunRequested: state.rerunRequested,
        rerunRefused: state.rerunRefused,
        rerunDeferred: state.rerunDeferred,
      };
  }
}

function timeline(story: readonly StoryEvent[], queuedAt: IsoTime | null): TimelineEntry[] {
  let previous: IsoTime | null = null;
  return story.map(({ source, event }) => {
    const at = eventTime(event);
    const entry: TimelineEntry = {
      at,
      source,
      type: event.type,
      data: (event.data ?? {}) as Readonly<Record<string, unknown>>,
      sinceQueuedSeconds: queuedAt ? (toMillis(at) - toMillis(queuedAt)) / 1000 : null,
      sincePreviousSeconds: previous ? (toMillis(at) - toMillis(previous)) / 1000 : null,
    };
    previous = at;
    return entry;
  });
}

/**
 * Replays the story and asks, after each step, why the job was waiting then: the same
 * derivation as for a job waiting now, applied to what had been recorded by that moment.
 */
function waitSegments(
  job: JobHistory,
  runners: readonly RunnerHistory[],
  story: readonly StoryEvent[],
  now: IsoTime,
): WaitSegment[] {
  const seen = new Map<string, number>();
  const segments: { reason: WaitReason; from: IsoTime; to: IsoTime | null }[] = [];
  for (const step of story) {
    seen.set(step.source, step.index + 1);
    const at = eventTime(step.event);
    const partialJob = jobHistoryUpTo(job, seen.get('job') ?? 0);
    const partialRunners = runners.map((runner) => runnerHistoryUpTo(runner, seen.get(runner.runnerId) ?? 0));
    const reason = partialJob.state.status === 'queued' ? waitReason(partialJob, partialRunners) : null;
    const open = segments.at(-1);
    if (open && open.to === null && !sameReason(open.reason, reason)) open.to = at;
    if (reason && (!open || open.to !== null)) segments.push({ reason, from: at, to: null });
  }
  // Steps taken in the same instant (requested → launching → launched) are not stretches of a wait.
  return segments
    .map((segment) => ({ ...segment, seconds: seconds(segment.from, segment.to ?? now) }))
    .filter((segment) => segment.to === null || segment.seconds > 0);
}

function sameReason(a: WaitReason, b: WaitReason | null): boolean {
  if (!b || a.code !== b.code) return false;
  const runner = (reason: WaitReason) => ('runnerId' in reason ? reason.runnerId : null);
  return runner(a) === runner(b);
}

function requests(job: JobHistory, runners: readonly RunnerHistory[]): JobRunnerSummary[] {
  const state = job.state;
  if (state.status === 'unknown') return [];
  return job.events.flatMap((event) => {
    if (event.type !== 'RunnerRequestedForJob') return [];
    const runner = runners.find((candidate) => candidate.runnerId === event.data.runnerId);
    return [
      {
        runnerId: event.data.runnerId,
        poolId: event.data.poolId,
        attempt: event.data.attempt,
        reason: event.data.reason,
        cause: event.data.cause ?? null,
        status: runner?.view?.status ?? 'not-recorded',
      },
    ];
  });
}
