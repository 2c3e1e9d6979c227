import type { JobInfo } from '../job/job.events';
import type { JobStatusRead } from '../ports/runner-registry';
import { applyJobEvent } from './apply-job-event';
import type { ScalerDeps } from './deps';
import { recordWorkflowJob } from './record-workflow-job';
import type { IsoTime } from '../shared/brand';
import type { WorkflowJobFact } from './workflow-job-fact';

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

/**
 * What a job's lost `in_progress` or `completed` delivery would have said, from GitHub's read
 * of the job (`GET .../actions/jobs/{id}`, the job-queued check) and what its stream knows.
 * Recorded through the webhook's own use case: the job closes, and a runner of ours it names
 * is moved as the delivery would have moved it. `now` stands in for a time GitHub did not give.
 * (Called for a job GitHub no longer lists queued or waiting: anything but `completed` is a start.)
 */
export function jobFactFromGitHub(
  info: JobInfo,
  read: JobStatusRead,
  now: IsoTime,
  correlationId: string,
): WorkflowJobFact {
  const started = read.status !== 'completed';
  const action = started ? 'in_progress' : 'completed';
  return {
    deliveryId: `${correlationId}-github-${action}`,
    action,
    jobId: info.jobId,
    runId: Number(info.runId),
    // Not recorded by any use case (the job stream has no field for it).
    runAttempt: 1,
    workflowName: info.name,
    owner: info.owner,
    repo: info.repo,
    labels: info.labels,
    at: (started ? read.startedAt : read.completedAt) ?? now,
    runnerName: read.runnerName ?? null,
    githubRunnerId: read.githubRunnerId ?? null,
    conclusion: started ? null : (read.conclusion ?? 'unknown'),
    installationId: info.installationId,
  };
}
