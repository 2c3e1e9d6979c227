import { jobStreamId } from '../job/job.decider';
import type { JobId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';

/**
 * A job killed by a spot interruption is run again ("retry when interrupted"): once the
 * job is completed as failed and known to be interrupted, ask GitHub for a rerun — once.
 */
export async function requestRerunIfInterrupted(
  deps: ScalerDeps,
  jobId: JobId,
  correlationId: string,
): Promise<'requested' | 'not-needed' | 'not-possible'> {
  const stream = jobStreamId(jobId);
  const decided = await execute(
    deps,
    deps.streams.job,
    stream,
    { type: 'RequestJobRerun', data: { at: deps.clock.now() } },
    correlationId,
  );
  if (decided.outcome === 'rejected' || decided.state.status === 'unknown' || decided.state.info === null)
    return 'not-needed';
  const outcome = await deps.registry.rerunJob(decided.state.info.owner, decided.state.info.repo, jobId);
  deps.logger.info('Interrupted job re-run requested', { jobId, outcome });
  deps.metrics.add('InterruptedJobsRerun', 1, 'Count');
  return outcome;
}
