import type { JobInfo } from '../job/job.events';
import type { JobStatusRead } from '../ports/runner-registry';
import { applyJobEvent } from './apply-job-event';
import type { ScalerDeps } from './deps';
import { recordWorkflowJob } from './record-workflow-job';
import { jobFactFromGitHub } from './workflow-job-fact';

/**
 * Records what GitHub's read of a job says happened to it (started or completed) when its own
 * delivery was lost, as the webhook would have: the job's fact on its stream, then the runner
 * it names moved — in place, since only the webhook's function sends to the job-events queue.
 */
export async function recordJobFactFromGitHub(
  deps: ScalerDeps,
  info: JobInfo,
  github: JobStatusRead,
  correlationId: string,
): Promise<void> {
  const fact = jobFactFromGitHub(info, github, deps.clock.now(), correlationId);
  await recordWorkflowJob(deps, fact, async (message) => {
    await applyJobEvent(deps, message);
  });
}
