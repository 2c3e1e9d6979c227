import type { CapacityType } from '../runner/runner.events';
import type { RunnerStatus } from '../scaling/views';
import {
  toMillis,
  type InstanceId,
  type IsoTime,
  type JobId,
  type PoolId,
  type RunnerId,
} from '../shared/brand';
import { eventTime, lastOf, type RunnerHistory } from './histories';
import { launchFailureFacts } from './runner-wait-reason';
import type { LaunchFailureFacts } from './wait-reason-types';

export interface LaunchAttemptSummary {
  readonly attempt: number;
  readonly capacityType: CapacityType;
  readonly startedAt: IsoTime;
  readonly outcome: 'launched' | 'failed' | 'under-way';
  readonly failure: LaunchFailureFacts | null;
}

export interface RunnerJobSummary {
  readonly jobId: JobId | null;
  readonly startedAt: IsoTime | null;
  readonly finishedAt: IsoTime | null;
}

/** Why and when the runner ended (null while it lives). */
export interface RunnerRetirement {
  /** A termination reason (`idle`, `job-done`, `spot-interruption`, ...) or `launch-failed`. */
  readonly reason: string;
  readonly detail: string | null;
  readonly decidedAt: IsoTime;
  readonly terminatedAt: IsoTime | null;
}

export interface RunnerStory {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly status: RunnerStatus;
  readonly ephemeral: boolean;
  readonly compute: string;
  readonly requestedForJobId: JobId | null;
  readonly requestedAt: IsoTime;
  readonly machine: {
    readonly instanceId: InstanceId;
    readonly instanceType: string | null;
    readonly capacityType: CapacityType;
    readonly launchedAt: IsoTime;
  } | null;
  readonly registration: { readonly runnerName: string; readonly githubRunnerId: number | null } | null;
  readonly onlineAt: IsoTime | null;
  readonly interruptedAt: IsoTime | null;
  readonly launchAttempts: readonly LaunchAttemptSummary[];
  readonly jobs: readonly RunnerJobSummary[];
  readonly retired: RunnerRetirement | null;
  readonly lifetimeSeconds: number;
  readonly timeline: readonly {
    readonly at: IsoTime;
    readonly type: string;
    readonly data: Readonly<Record<string, unknown>>;
    readonly sincePreviousSeconds: number | null;
  }[];
}

/** A runner's life from its stream, as of `now`; null for a stream that holds no request. */
export function runnerStory(runner: RunnerHistory, now: IsoTime): RunnerStory | null {
  const view = runner.view;
  if (!view) return null;
  const { events } = runner;
  const launched = lastOf(events, 'RunnerLaunched');
  const registered = lastOf(events, 'RunnerRegistrationIssued');
  const terminated = lastOf(events, 'RunnerTerminated');
  const ended = terminated ? eventTime(terminated) : null;
  let previous: IsoTime | null = null;
  return {
    runnerId: view.runnerId,
    poolId: view.poolId,
    status: view.status,
    ephemeral: view.ephemeral,
    compute: runner.state.status === 'none' ? 'unknown' : runner.state.compute,
    requestedForJobId: view.requestedForJobId,
    requestedAt: view.requestedAt,
    machine: launched
      ? {
          instanceId: launched.data.instanceId,
          instanceType: launched.data.instanceType,
          capacityType: launched.data.capacityType,
          launchedAt: launched.data.launchedAt,
        }
      : null,
    registration: registered
      ? { runnerName: registered.data.runnerName, githubRunnerId: registered.data.githubRunnerId }
      : null,
    onlineAt: timeOf(lastOf(events, 'RunnerOnline')),
    interruptedAt: timeOf(lastOf(events, 'RunnerInterrupted')),
    launchAttempts: launchAttempts(runner),
    jobs: jobsOf(runner),
    retired: retirement(runner, ended),
    lifetimeSeconds: Math.max(0, (toMillis(ended ?? now) - toMillis(view.requestedAt)) / 1000),
    timeline: events.map((event) => {
      const at = eventTime(event);
      const sincePreviousSeconds = previous ? (toMillis(at) - toMillis(previous)) / 1000 : null;
      previous = at;
      return {
        at,
        type: event.type,
        data: event.data as Readonly<Record<string, unknown>>,
        sincePreviousSeconds,
      };
    }),
  };
}

const timeOf = (event: { readonly data: unknown; readonly metadata: { recordedAt: IsoTime } } | undefined) =>
  event ? eventTime(event as Parameters<typeof eventTime>[0]) : null;

function launchAttempts(runner: RunnerHistory): LaunchAttemptSummary[] {
  const attempts: LaunchAttemptSummary[] = [];
  for (const event of runner.events) {
    if (event.type === 'RunnerLaunchStarted') {
      attempts.push({
        attempt: event.data.attempt,
        capacityType: event.data.capacityType,
        startedAt: event.data.at,
        outcome: 'under-way',
        failure: null,
      });
    }
    const current = attempts.at(-1);
    if (!current) continue;
    if (event.type === 'RunnerLaunched') attempts[attempts.length - 1] = { ...current, outcome: 'launched' };
    if (event.type === 'RunnerLaunchFailed' && event.data.attempt === current.attempt) {
      attempts[attempts.length - 1] = {
        ...current,
        outcome: 'failed',
        failure: launchFailureFacts(runner.events, event),
      };
    }
  }
  return attempts;
}

function jobsOf(runner: RunnerHistory): RunnerJobSummary[] {
  const jobs: { jobId: JobId | null; startedAt: IsoTime | null; finishedAt: IsoTime | null }[] = [];
  for (const event of runner.events) {
    if (event.type === 'RunnerJobStarted') {
      jobs.push({ jobId: event.data.jobId, startedAt: event.data.at, finishedAt: null });
    } else if (event.type === 'RunnerJobFinished') {
      const open = jobs.find((job) => job.finishedAt === null && job.jobId === event.data.jobId);
      if (open) open.finishedAt = event.data.at;
      // `completed` may be the only delivery GitHub made for the job.
      else jobs.push({ jobId: event.data.jobId, startedAt: null, finishedAt: event.data.at });
    }
  }
  return jobs;
}

function retirement(runner: RunnerHistory, terminatedAt: IsoTime | null): RunnerRetirement | null {
  const state = runner.state;
  if (state.status === 'launch_failed') {
    return {
      reason: 'launch-failed',
      detail: `${state.reason}: ${state.detail}`,
      decidedAt: state.failedAt,
      terminatedAt,
    };
  }
  const requested = lastOf(runner.events, 'RunnerTerminationRequested');
  if (requested) {
    return { reason: requested.data.reason, detail: null, decidedAt: requested.data.at, terminatedAt };
  }
  if (terminatedAt)
    return { reason: 'machine-terminated', detail: null, decidedAt: terminatedAt, terminatedAt };
  return null;
}
