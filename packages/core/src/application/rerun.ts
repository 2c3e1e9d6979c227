import { jobStreamId } from '../job/job.decider';
import type { JobId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';

/**
 * A job killed by a spot interruption is run again ("retry when interrupted"): once the
 * job is completed as failed and known to be interrupted, ask GitHub for a rerun — once.
 * The decision is checked first, GitHub is asked, and only then is the rerun recorded, so
 * a failed call is tried again by the next completed delivery or reconciler run.
 */
export async function requestRerunIfInterrupted(
  deps: ScalerDeps,
  jobId: JobId,
  correlationId: string,
): Promise<'requested' | 'not-needed' | 'not-possible'> {
  const stream = jobStreamId(jobId);
  const command = { type: 'RequestJobRerun', data: { at: deps.clock.now() } } as const;
  const { state } = await read(deps, deps.streams.job, stream);
  if (deps.streams.job.decider.decide(command, state).kind === 'rejected') return 'not-needed';
  if (state.status === 'unknown' || state.info === null) return 'not-needed';
  const outcome = await deps.registry.rerunJob(state.info.owner, state.info.repo, jobId);
  const recorded = await execute(deps, deps.streams.job, stream, command, correlationId);
  // A concurrent caller recorded it first: GitHub answers the second rerun `not-possible`.
  if (recorded.outcome === 'rejected') return 'not-needed';
  deps.logger.info('Interrupted job re-run requested', { jobId, outcome });
  deps.metrics.add('InterruptedJobsRerun', 1, 'Count');
  return outcome;
}
