import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, minutesBetween, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';
import type { JobEventMessage } from './messages';
import { markInterrupted } from './interrupted-jobs';
import { completeTermination } from './retire-runner';
import { runnerNamed } from './runner-lookup';

export type JobEventOutcome =
  | { readonly kind: 'runner-busy'; readonly runnerId: RunnerId }
  | { readonly kind: 'runner-idle'; readonly runnerId: RunnerId }
  | { readonly kind: 'runner-retired'; readonly runnerId: RunnerId }
  | { readonly kind: 'no-change'; readonly runnerId: RunnerId }
  | { readonly kind: 'not-our-runner'; readonly runnerName: string | null };

/**
 * Moves a runner from the job facts GitHub already sends (`in_progress`, `completed`):
 * no per-runner polling of GitHub for busy state. An ephemeral runner that finished its
 * job is removed at once. A job on a runner already warned of a spot interruption is marked
 * interrupted (whichever of the facts came first, see interrupted-jobs.ts).
 */
export async function applyJobEvent(deps: ScalerDeps, message: JobEventMessage): Promise<JobEventOutcome> {
  if (message.runnerName === null) return { kind: 'not-our-runner', runnerName: null };
  // Read off the name and confirmed on the stream: the index may not show a runner registered moments ago.
  // The `completed` after the `in_progress` this function recorded usually finds the runner as
  // it left it (nothing else writes a busy runner): decided on without a read.
  const found = await runnerNamed(deps, message.runnerName, { asLastSeen: true });
  if (!found) return { kind: 'not-our-runner', runnerName: message.runnerName };
  // The confirming read is the state the first decision is made on (no second read).
  const { runnerId, known } = found;
  const stream = runnerStreamId(runnerId);
  const jobId = JobId(message.jobId);
  if (message.action === 'in_progress') {
    const result = await execute(
      deps,
      deps.streams.runner,
      stream,
      { type: 'RecordRunnerJobStarted', data: { jobId, at: message.at } },
      message.deliveryId,
      known,
    );
    await markInterrupted(deps, jobId, runnerId, result.state, message.deliveryId);
    if (result.outcome === 'accepted' && result.events.length > 0) {
      await recordQueueToOnline(deps, message);
      return { kind: 'runner-busy', runnerId };
    }
    return { kind: 'no-change', runnerId };
  }
  const result = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RecordRunnerJobFinished', data: { jobId, at: message.at } },
    message.deliveryId,
    known,
  );
  await markInterrupted(deps, jobId, runnerId, result.state, message.deliveryId);
  if (result.state.status === 'terminating') {
    const retired = await completeTermination(deps, result.state, message.deliveryId, {}, result);
    return retired.kind === 'retired'
      ? { kind: 'runner-retired', runnerId }
      : { kind: 'no-change', runnerId };
  }
  if (result.outcome === 'accepted' && result.events.length > 0) return { kind: 'runner-idle', runnerId };
  return { kind: 'no-change', runnerId };
}

/** The webhook sends the job's queued time with the fact; an older message makes us read the job. */
async function recordQueueToOnline(deps: ScalerDeps, message: JobEventMessage): Promise<void> {
  let queuedAt = message.queuedAt ?? null;
  if (queuedAt === null) {
    const { state: job } = await read(deps, deps.streams.job, jobStreamId(JobId(message.jobId)));
    queuedAt = job.status === 'unknown' ? null : job.queuedAt;
  }
  if (queuedAt === null) return;
  const seconds = minutesBetween(queuedAt, message.at) * 60;
  if (Number.isFinite(seconds) && seconds >= 0) deps.metrics.add('QueueToOnlineSeconds', seconds, 'Seconds');
}
