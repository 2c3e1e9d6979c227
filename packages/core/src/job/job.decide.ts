import { assertNever } from '../shared/assert-never';
import { accept, reject, type Decision } from '../shared/decider';
import type { JobCommand, JobRejection } from './job.commands';
import type { JobEvent } from './job.events';
import { killedByInterruption, type JobState } from './job.state';

type JobDecision = Decision<JobEvent, JobRejection>;
const nothing: JobDecision = accept();

/**
 * Decides what a command means for a workflow job. Facts from GitHub can arrive late,
 * twice or out of order (`completed` before `in_progress`, `in_progress` without `queued`):
 * a fact that adds nothing decides `[]`, and a fact never regresses the status.
 */
export function decideJob(command: JobCommand, state: JobState): JobDecision {
  switch (command.type) {
    case 'RecordJobQueued':
      // The first delivery wins; a late `queued` still fills in the job's details.
      if (state.status !== 'unknown' && state.info !== null) return nothing;
      return accept({ type: 'JobQueued', data: command.data });
    case 'RecordJobWaiting':
      if (state.status === 'queued' && !state.waiting)
        return accept({ type: 'JobWaiting', data: command.data });
      return nothing;
    case 'RecordJobStarted':
      if (state.status === 'unknown' || state.status === 'queued')
        return accept({ type: 'JobStarted', data: command.data });
      return nothing;
    case 'RecordJobCompleted':
      if (state.status === 'completed') return nothing;
      return accept({ type: 'JobCompleted', data: command.data });
    case 'RecordJobInterrupted':
      if (state.status === 'unknown' || state.interruptedAt !== null) return nothing;
      return accept({ type: 'JobInterrupted', data: command.data });
    case 'RequestRunnerForJob':
      return decideRunnerRequest(command, state);
    case 'RecordScaleUpRejection':
      if (state.status !== 'queued') return nothing;
      return accept({ type: 'ScaleUpRejected', data: command.data });
    case 'MarkJobUnroutable':
      if (state.status !== 'queued' || state.unroutable === command.data.reason) return nothing;
      return accept({ type: 'JobUnroutable', data: command.data });
    case 'RecordJobRerunRefused':
      // GitHub's answer to a rerun we asked for; a late answer after another one decides nothing.
      if (state.status !== 'completed' || state.rerunRequested || state.rerunRefused !== null) return nothing;
      return accept({ type: 'JobRerunRefused', data: command.data });
    case 'RecordJobRerunDeferred':
      if (
        state.status !== 'completed' ||
        state.rerunRequested ||
        state.rerunRefused !== null ||
        state.rerunDeferred
      )
        return nothing;
      return accept({ type: 'JobRerunDeferred', data: command.data });
    case 'RequestJobRerun':
      if (
        state.status !== 'completed' ||
        !killedByInterruption(state) ||
        state.rerunRequested ||
        state.rerunRefused !== null
      ) {
        return reject({ reason: 'rerun-not-needed', status: state.status });
      }
      return accept({ type: 'JobRerunRequested', data: command.data });
    default:
      return assertNever(command);
  }
}

function decideRunnerRequest(
  command: Extract<JobCommand, { type: 'RequestRunnerForJob' }>,
  state: JobState,
): JobDecision {
  const { data } = command;
  if (state.status !== 'queued') return reject({ reason: 'job-not-queued', status: state.status });
  const same = state.requests.find((r) => r.attempt === data.attempt);
  // A redelivered scale-up message asks for the same attempt with the same runner: idempotent.
  if (same)
    return same.runnerId === data.runnerId
      ? nothing
      : reject({ reason: 'attempt-already-made', attempt: data.attempt });
  if (state.requests.length >= data.maxAttempts) {
    return reject({ reason: 'attempts-exhausted', attempts: state.requests.length });
  }
  return accept({
    type: 'RunnerRequestedForJob',
    data: {
      runnerId: data.runnerId,
      poolId: data.poolId,
      attempt: data.attempt,
      reason: data.reason,
      requestedAt: data.at,
      ...(data.cause ? { cause: data.cause } : {}),
    },
  });
}
