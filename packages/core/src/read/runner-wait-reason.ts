import type { RunnerRequestedForJob } from '../job/job.events';
import type { RunnerEvent, RunnerLaunchFailed } from '../runner/runner.events';
import type { IsoTime, JobId } from '../shared/brand';
import { eventTime, lastOf, type Recorded, type RunnerHistory } from './histories';
import type { LaunchFailureFacts, LaunchOutcomeUnknownFacts, WaitReason } from './wait-reason-types';

type Request = RunnerRequestedForJob['data'];

/** Why a job still waits although a runner was requested for it: where that runner is in its life. */
export function runnerWaitReason(
  jobId: JobId,
  request: Request,
  runner: RunnerHistory | undefined,
): WaitReason {
  const on = { poolId: request.poolId, runnerId: request.runnerId };
  const view = runner?.view;
  if (!runner || !view) return { code: 'runner-requested', ...on, since: request.requestedAt };
  const events = runner.events;
  const failure = lastFailure(events);
  // A warned spot machine is kept registered until the reclaim when it may have taken a job
  // GitHub does not report yet (its busy flag lags): it is as good as gone for this job.
  const interrupted = lastOf(events, 'RunnerInterrupted');
  if (interrupted && (view.status === 'launched' || view.status === 'idle')) {
    return { code: 'runner-interrupted', ...on, since: eventTime(interrupted) };
  }
  switch (view.status) {
    case 'requested':
      return failure
        ? failureReason(on, failure, true)
        : { code: 'runner-requested', ...on, since: view.requestedAt };
    case 'launching': {
      const started = lastOf(events, 'RunnerLaunchStarted');
      return {
        code: 'launching',
        ...on,
        attempt: started?.data.attempt ?? 1,
        capacityType: started?.data.capacityType ?? null,
        after: failure,
        outcomeUnknown: outcomeUnknown(events, started?.data.attempt ?? 1),
        since: started ? eventTime(started) : view.requestedAt,
      };
    }
    case 'launched':
      return {
        code: 'runner-booting',
        ...on,
        instanceId: view.instanceId,
        registered: view.runnerName !== null,
        since: view.launchedAt ?? view.requestedAt,
      };
    case 'idle': {
      const other = otherJob(events, jobId);
      if (other) return { code: 'runner-took-other-job', ...on, ...other };
      return {
        code: 'runner-idle',
        ...on,
        runnerName: view.runnerName,
        since: view.idleSince ?? view.requestedAt,
      };
    }
    case 'busy': {
      const started = lastOf(events, 'RunnerJobStarted');
      const since = started ? eventTime(started) : view.requestedAt;
      if (view.currentJobId === jobId) return { code: 'starting', ...on, since };
      return { code: 'runner-took-other-job', ...on, otherJobId: view.currentJobId, since };
    }
    case 'terminating':
    case 'terminated':
      return endedReason(on, runner, jobId);
    case 'launch_failed':
      return failure
        ? failureReason(on, failure, false)
        : { code: 'runner-ended', ...on, endReason: 'launch-failed', since: view.requestedAt };
  }
}

function endedReason(
  on: { poolId: Request['poolId']; runnerId: Request['runnerId'] },
  runner: RunnerHistory,
  jobId: JobId,
): WaitReason {
  const interrupted = lastOf(runner.events, 'RunnerInterrupted');
  if (interrupted) return { code: 'runner-interrupted', ...on, since: eventTime(interrupted) };
  const other = otherJob(runner.events, jobId);
  if (other) return { code: 'runner-took-other-job', ...on, ...other };
  const ended =
    lastOf(runner.events, 'RunnerTerminationRequested') ?? lastOf(runner.events, 'RunnerTerminated');
  return {
    code: 'runner-ended',
    ...on,
    endReason: runner.view?.terminationReason ?? null,
    since: ended ? eventTime(ended) : (runner.view?.requestedAt ?? ''),
  };
}

/** The attempt's launch call answered neither a machine nor a failure, and was not called again since. */
function outcomeUnknown(
  events: readonly Recorded<RunnerEvent>[],
  attempt: number,
): LaunchOutcomeUnknownFacts | null {
  const unknown = lastOf(events, 'RunnerLaunchOutcomeUnknown');
  if (!unknown || unknown.data.attempt !== attempt) return null;
  const resumed = lastOf(events, 'RunnerLaunchResumed');
  if (resumed && resumed.version > unknown.version) return null;
  return { reason: unknown.data.reason, detail: unknown.data.detail, at: unknown.data.at };
}

/** A job the runner started that is not this one (GitHub gives a runner any job its labels fit). */
function otherJob(
  events: readonly Recorded<RunnerEvent>[],
  jobId: JobId,
): { readonly otherJobId: JobId | null; readonly since: IsoTime } | null {
  const started = lastOf(events, 'RunnerJobStarted');
  if (!started || started.data.jobId === jobId) return null;
  return { otherJobId: started.data.jobId, since: eventTime(started) };
}

function failureReason(
  on: { poolId: Request['poolId']; runnerId: Request['runnerId'] },
  failure: LaunchFailureFacts,
  retrying: boolean,
): WaitReason {
  return {
    code: failure.reason === 'insufficient-capacity' ? 'capacity-unavailable' : 'launch-failing',
    ...on,
    failure,
    retrying,
    since: failure.at,
  };
}

/** The runner's last failed launch attempt, with the capacity type that attempt asked for. */
export function lastFailure(events: readonly Recorded<RunnerEvent>[]): LaunchFailureFacts | null {
  const failed = lastOf(events, 'RunnerLaunchFailed');
  if (!failed) return null;
  return launchFailureFacts(events, failed);
}

export function launchFailureFacts(
  events: readonly Recorded<RunnerEvent>[],
  failed: Recorded<RunnerLaunchFailed>,
): LaunchFailureFacts {
  const started = events.find(
    (event) => event.type === 'RunnerLaunchStarted' && event.data.attempt === failed.data.attempt,
  );
  return {
    attempt: failed.data.attempt,
    capacityType: started?.type === 'RunnerLaunchStarted' ? started.data.capacityType : null,
    reason: failed.data.reason,
    errorCodes: failed.data.errorCodes ?? [],
    placements: failed.data.placements ?? [],
    detail: failed.data.detail,
    final: failed.data.final,
    at: failed.data.at,
  };
}
