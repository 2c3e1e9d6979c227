import { HttpError } from './http-kit';
import { jobsOfRun } from './payloads';
import type { FakeGitHubState } from './state';
import type { InstallationRecord, JobRecord } from './types';

/**
 * When GitHub refuses `POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun`, and with what.
 * GitHub's REST description (`@octokit/openapi`, operation `actions/re-run-job-for-workflow-run`)
 * documents two answers: 201 and 403 with a basic error body. The 403 messages below are the ones
 * GitHub sends (quoted in public bug reports: cli/cli#9221, metabase/metabase#70916,
 * NVIDIA-NeMo/RL#1193, fullsend-ai/fullsend#7003); the job endpoint's own documentation URL
 * comes back in the body.
 */
export const RERUN_DOCUMENTATION_URL =
  'https://docs.github.com/rest/actions/workflow-runs#re-run-a-job-from-a-workflow-run';

export const RERUN_MESSAGES = {
  /** Any job of the run (this job, or another of its attempt) has not completed yet. */
  runInProgress: 'The workflow run containing this job is already running',
  /** GitHub re-runs a run only within 30 days of its creation. */
  runTooOld: 'Unable to retry this workflow run because it was created over a month ago',
  /**
   * GitHub's answer for runs it will not retry at all. Jobs of a reusable (called) workflow are
   * refused this way; the exact wording for that case is not documented, so the fake uses the
   * generic one (the adapter classifies the 403 by "cannot be retried").
   */
  notRetryable: 'This workflow run cannot be retried',
  /** The installation lacks the Actions write permission. */
  forbidden: 'Resource not accessible by integration',
} as const;

const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

const refuse = (message: string): HttpError =>
  new HttpError(403, message, {}, { documentation_url: RERUN_DOCUMENTATION_URL });

/** Throws GitHub's 403 when the job may not be re-run now; returns when it may. */
export function checkRerun(
  state: FakeGitHubState,
  job: JobRecord,
  installation: InstallationRecord,
  nowMs: number,
): void {
  if (installation.actionsPermission === 'read') throw refuse(RERUN_MESSAGES.forbidden);
  const run = state.runs.get(job.runId);
  if (jobsOfRun(state, job.runId).some((other) => other.status !== 'completed')) {
    throw refuse(RERUN_MESSAGES.runInProgress);
  }
  if (run && nowMs - Date.parse(run.createdAt) > MONTH_MS) throw refuse(RERUN_MESSAGES.runTooOld);
  if (job.inReusableWorkflow) throw refuse(RERUN_MESSAGES.notRetryable);
}
