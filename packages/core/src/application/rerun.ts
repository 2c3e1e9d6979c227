import { jobStreamId } from '../job/job.decider';
import type { JobCommand } from '../job/job.commands';
import type { JobId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';
import type { KnownStream } from './handle-command';
import type { JobState } from '../job/job.state';

/**
 * What asking for a rerun came to: GitHub accepted it (`requested`), it was not ours to ask
 * (`not-needed`: not interrupted, succeeded, already asked or refused), GitHub cannot yet
 * (`deferred`: the reconciler asks again) or never will (`refused`: recorded, not asked again).
 */
export type RerunOutcome = 'requested' | 'not-needed' | 'deferred' | 'refused';

/**
 * A job killed by a spot interruption is run again ("retry when interrupted"): once the
 * job is completed as failed and known to be interrupted, ask GitHub for a rerun — once.
 * The decision is checked first, GitHub is asked, and only then is its answer recorded, so
 * a failed call (it throws) is tried again by the next completed delivery or reconciler run.
 * GitHub's "not yet" keeps the job open for the reconciler; its "never" closes it.
 * `known`: the job as the caller's own append just left it. Deciding "not needed" on it is
 * sound because every writer that could make a rerun due (the completion, a spot warning's
 * `RecordJobInterrupted`) checks after its own append: the last of them sees all the facts.
 */
export async function requestRerunIfInterrupted(
  deps: ScalerDeps,
  jobId: JobId,
  correlationId: string,
  known?: KnownStream<JobState>,
): Promise<RerunOutcome> {
  const stream = jobStreamId(jobId);
  const at = deps.clock.now();
  const command = { type: 'RequestJobRerun', data: { at } } as const;
  const { state } = known ?? (await read(deps, deps.streams.job, stream));
  if (deps.streams.job.decider.decide(command, state).kind === 'rejected') return 'not-needed';
  if (state.status === 'unknown' || state.info === null) return 'not-needed';
  const answer = await deps.registry.rerunJob(state.info.owner, state.info.repo, jobId);
  if (answer.kind === 'requested') {
    const recorded = await execute(deps, deps.streams.job, stream, command, correlationId);
    // A concurrent caller recorded it first; GitHub refuses the second rerun as "already running".
    if (recorded.outcome === 'rejected') return 'not-needed';
    deps.logger.info('Interrupted job re-run requested', { jobId });
    deps.metrics.add('InterruptedJobsRerun', 1, 'Count');
    return 'requested';
  }
  const { reason, detail } = answer;
  const answerCommand: JobCommand =
    answer.kind === 'not-yet'
      ? { type: 'RecordJobRerunDeferred', data: { reason: answer.reason, detail, at } }
      : { type: 'RecordJobRerunRefused', data: { reason: answer.reason, detail, at } };
  await execute(deps, deps.streams.job, stream, answerCommand, correlationId);
  if (answer.kind === 'not-yet') {
    deps.logger.info('Interrupted job re-run deferred; the reconciler asks again', { jobId, reason, detail });
    deps.metrics.add('InterruptedJobRerunDeferred', 1, 'Count');
    return 'deferred';
  }
  deps.logger.warn('GitHub refused to re-run an interrupted job', { jobId, reason, detail });
  deps.metrics.add('InterruptedJobRerunRefused', 1, 'Count', { reason });
  return 'refused';
}

/**
 * The rerun step of a `completed` delivery. A failure to ask (GitHub down, the App without
 * Actions write) must not fail the delivery: the job stays open, so the reconciler asks again,
 * and a failed delivery would only be redelivered to fail the same way.
 */
export async function rerunAfterCompletion(
  deps: ScalerDeps,
  jobId: JobId,
  correlationId: string,
  known?: KnownStream<JobState>,
): Promise<RerunOutcome | 'failed'> {
  try {
    return await requestRerunIfInterrupted(deps, jobId, correlationId, known);
  } catch (error) {
    deps.logger.error('Interrupted job rerun failed; the reconciler retries', {
      jobId,
      error: error instanceof Error ? error.message : String(error),
    });
    deps.metrics.add('InterruptedJobRerunFailed', 1, 'Count');
    return 'failed';
  }
}
