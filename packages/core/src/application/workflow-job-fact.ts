import type { JobInfo } from '../job/job.events';
import type { JobStatusRead } from '../ports/runner-registry';
import type { IsoTime, JobId } from '../shared/brand';

/**
 * A verified `workflow_job` delivery, translated by the GitHub adapter into the terms the
 * use cases speak. Produced only after the signature has been checked.
 */
export interface WorkflowJobFact {
  /** `X-GitHub-Delivery`: correlation id of every event this fact causes. */
  readonly deliveryId: string;
  readonly action: 'queued' | 'waiting' | 'in_progress' | 'completed';
  readonly jobId: JobId;
  readonly runId: number;
  readonly runAttempt: number;
  readonly workflowName: string | null;
  readonly owner: string;
  readonly repo: string;
  /** `runs-on` labels as sent (case preserved). */
  readonly labels: readonly string[];
  /** When GitHub says the fact happened (created_at / started_at / completed_at). */
  readonly at: IsoTime;
  /** The runner GitHub assigned (in_progress / completed), when any. */
  readonly runnerName: string | null;
  readonly githubRunnerId: number | null;
  /** `completed` only: success, failure, cancelled, skipped… */
  readonly conclusion: string | null;
  readonly installationId: number | null;
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
