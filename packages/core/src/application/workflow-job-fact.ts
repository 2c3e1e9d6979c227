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
