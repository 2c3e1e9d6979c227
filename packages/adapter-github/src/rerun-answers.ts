import { DependencyError, type JobId, type RerunJobOutcome } from '@hangar/core';
import type { AppPool } from './auth/app-pool';
import type { RequestOctokit } from './auth/request-client';
import { isHttpFailure, responseStatus } from './errors';

/** The re-run route, as the REST description names it (rerun-answers.spec.ts checks it there). */
export const RERUN_ROUTE = 'POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun';

/**
 * Asks GitHub to re-run one job, with GitHub's answer as a value. The one implementation of the
 * re-run: the control plane's registry (`@octokit/rest` clients) and the webhook's rerun client
 * (`@octokit/core` alone, rerun-client.ts) both call it, so the call and its answers cannot
 * drift apart. By route name rather than `rest.actions.reRunJobForWorkflowRun`, which only the
 * REST client has.
 */
export function requestRerun<C extends RequestOctokit>(
  pool: AppPool<C>,
  owner: string,
  repo: string,
  jobId: JobId,
): Promise<RerunJobOutcome> {
  return pool.withInstallation({ owner, repo }, 'rerun-job', async (octokit) => {
    try {
      await octokit.request(RERUN_ROUTE, { owner, repo, job_id: Number(jobId) });
      return { kind: 'requested' } as const;
    } catch (error) {
      return rerunAnswer(error, owner, repo);
    }
  });
}

/**
 * GitHub's answers to `POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun`, read as values.
 * The REST description documents 201 and 403; the 403's message says which refusal it is (the
 * fake GitHub serves the same bodies, test-support/src/github/rerun-rules.ts):
 * - "The workflow run containing this job is already running" (or "This workflow is already
 *   running"): another job of the run, or an earlier re-run, is still running — not yet;
 * - "Unable to retry this workflow run because it was created over a month ago" — never;
 * - "This workflow run cannot be retried" (e.g. a job of a reusable workflow) — never;
 * - "Resource not accessible by integration": the App lacks Actions write — a configuration
 *   problem, thrown as a non-retryable DependencyError;
 * - anything else (a secondary rate limit, a message we do not know): rethrown for the App
 *   pool to translate (rate limits retryable, the rest not) — never guessed to be a refusal.
 * A 404 means the job is gone: never.
 */
export function rerunAnswer(error: unknown, owner: string, repo: string): RerunJobOutcome {
  const status = responseStatus(error);
  if (status === 404) return { kind: 'refused', reason: 'job-not-found', detail: messageOf(error) };
  if (status !== 403) throw error;
  const detail = messageOf(error);
  if (/already running/i.test(detail)) return { kind: 'not-yet', reason: 'run-in-progress', detail };
  if (/over a month ago/i.test(detail)) return { kind: 'refused', reason: 'run-too-old', detail };
  if (/cannot be (retried|re-?run)/i.test(detail))
    return { kind: 'refused', reason: 'not-retryable', detail };
  if (/not accessible by integration/i.test(detail)) {
    throw new DependencyError(
      'github',
      'rerun-job',
      `the App may not re-run jobs in ${owner}/${repo}: grant it the Actions: write permission (HTTP 403: ${detail})`,
      false,
      { cause: error },
    );
  }
  throw error;
}

/** GitHub's own message from the error body (Octokit appends the documentation URL to `message`). */
function messageOf(error: unknown): string {
  const body = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  if (typeof body?.message === 'string') return body.message;
  return isHttpFailure(error) ? (error.message.split(' - ')[0] ?? error.message) : String(error);
}
