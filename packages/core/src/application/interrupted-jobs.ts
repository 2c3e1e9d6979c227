import { jobStreamId } from '../job/job.decider';
import { interruptionOf } from '../runner/runner.jobs';
import type { RunnerState } from '../runner/runner.state';
import type { JobId, RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import { requestRerunIfInterrupted } from './rerun';

/**
 * Links a job to the spot interruption of the runner it ran on, then asks for its rerun if it
 * is due. The three facts — the warning, the job's `in_progress` and its `completed` — arrive
 * in any order, so each of their handlers calls this once it has recorded its own fact: the
 * last one to arrive sees the other two. The job decider re-runs a job only if it did not
 * succeed and completed at or after the warning, so the answer depends on the facts' times,
 * never on their order; the rerun itself is recorded once (`JobRerunRequested`).
 */
export async function markInterrupted(
  deps: ScalerDeps,
  jobId: JobId,
  runnerId: RunnerId,
  runner: RunnerState,
  correlationId: string,
): Promise<void> {
  const at = interruptionOf(runner, jobId);
  if (at === null) return;
  await execute(
    deps,
    deps.streams.job,
    jobStreamId(jobId),
    { type: 'RecordJobInterrupted', data: { runnerId, at } },
    correlationId,
  );
  await requestRerunIfInterrupted(deps, jobId, correlationId);
}
