import type { IsoTime, JobId } from '../shared/brand';
import type { RerunDeferralReason, RerunRefusalReason } from '../job/job.events';
import type { JobStatus, RegisteredRunnerView } from '../scaling/views';

/** Where a runner is registered: an organisation, or one repository. */
export type RunnerScope =
  | { readonly level: 'org'; readonly owner: string }
  | { readonly level: 'repo'; readonly owner: string; readonly repo: string };

export interface JitConfigRequest {
  readonly scope: RunnerScope;
  readonly runnerName: string;
  readonly labels: readonly string[];
  /** Runner group name (org level); resolved to an id and cached by the adapter. */
  readonly runnerGroup?: string;
  readonly workFolder?: string;
}

export type DeleteRunnerOutcome = 'deleted' | 'busy' | 'not-found';

/**
 * GitHub's answer to a job re-run request, as a value. GitHub documents two answers for
 * `POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun`: 201 and 403 with a message, and
 * the 403s mean different things to the caller:
 * - `requested`: GitHub queued the job again (a new job of the same run, next attempt);
 * - `not-yet`: not possible now, possible later — `run-in-progress`: another job of the run
 *   (or an earlier re-run of it) is still running ("…is already running"). Ask again later;
 * - `refused`: never possible for this job — `run-too-old` (runs are re-run only within 30 days),
 *   `not-retryable` (GitHub will not retry this run, e.g. a job of a reusable workflow),
 *   `job-not-found` (404: the job is gone). Asking again cannot help.
 *
 * Permission and credential failures (403 "Resource not accessible by integration": the App
 * lacks Actions write; 401) are not answers about the job: they throw a non-retryable
 * `DependencyError` (a configuration problem to alarm on). `detail` is GitHub's message.
 */
export type RerunJobOutcome =
  | { readonly kind: 'requested' }
  | { readonly kind: 'not-yet'; readonly reason: RerunDeferralReason; readonly detail: string }
  | { readonly kind: 'refused'; readonly reason: RerunRefusalReason; readonly detail: string };

/**
 * A JIT config, or `name-taken`: a runner with that name is already registered in the scope
 * (GitHub's 409). Never replaced here: only the caller knows whether a machine may be using it.
 */
export type JitConfigResult =
  | { readonly outcome: 'issued'; readonly githubRunnerId: number; readonly encodedJitConfig: string }
  | { readonly outcome: 'name-taken' };

/**
 * GitHub's view of runners and jobs, through one App installation (or several sharing load).
 *
 * Contract:
 * - `createJitConfig` registers a one-job runner and returns its config (a secret: never log it);
 *   a name already registered is answered `name-taken`, never replaced;
 * - `deleteRunner` of a busy runner returns `'busy'` (GitHub's 422) — this is the atomic
 *   check that keeps scale-down from killing a job; unknown → `'not-found'`;
 * - `getJobStatus` of an unknown job returns null;
 * - `rerunJob` answers GitHub's documented outcomes as values (`RerunJobOutcome`); a missing
 *   permission throws a non-retryable `DependencyError`;
 * - rate limits and 5xx are retried within the adapter's bounds, then thrown as
 *   `DependencyError` (retryable); 401/403 configuration problems are not retryable.
 */
export interface RunnerRegistry {
  createJitConfig(request: JitConfigRequest): Promise<JitConfigResult>;
  createRegistrationToken(
    scope: RunnerScope,
  ): Promise<{ readonly token: string; readonly expiresAt: IsoTime }>;
  listRunners(scope: RunnerScope): Promise<readonly RegisteredRunnerView[]>;
  deleteRunner(scope: RunnerScope, githubRunnerId: number): Promise<DeleteRunnerOutcome>;
  getJobStatus(owner: string, repo: string, jobId: JobId): Promise<JobStatusRead | null>;
  /** Asks GitHub to run a job again (after its runner was interrupted); see `RerunJobOutcome`. */
  rerunJob(owner: string, repo: string, jobId: JobId): Promise<RerunJobOutcome>;
}

/**
 * A job as `GET /repos/{o}/{r}/actions/jobs/{id}` shows it. The runner and the times were added
 * later (optional): what a lost `in_progress` / `completed` delivery would have said, so a use
 * case that reads the job can record that fact itself. Null when GitHub gives none.
 */
export interface JobStatusRead {
  readonly status: JobStatus;
  readonly conclusion: string | null;
  readonly runnerName?: string | null;
  readonly githubRunnerId?: number | null;
  readonly startedAt?: IsoTime | null;
  readonly completedAt?: IsoTime | null;
}

/** Finds work GitHub never told us about: its deliveries failed and GitHub does not retry. */
export interface WebhookRecovery {
  /**
   * Redelivers failed `workflow_job` deliveries newer than `since`, spending at most
   * `maxApiCalls` GitHub calls. Deliveries already redelivered successfully are skipped.
   */
  redeliverFailed(
    since: IsoTime,
    maxApiCalls: number,
  ): Promise<{ readonly inspected: number; readonly redelivered: number }>;
}

export interface RunnerReleaseAsset {
  readonly os: 'linux' | 'win' | 'osx';
  readonly arch: 'x64' | 'arm64';
  readonly version: string;
  readonly fileName: string;
  readonly downloadUrl: string;
  /** The SHA-256 (lower-case hex) the release publishes for this asset; null when it publishes none. */
  readonly sha256: string | null;
}

/**
 * The `actions/runner` releases, for the runner binaries mirror.
 *
 * Contract: `download` returns the asset's bytes only when their SHA-256 equals `asset.sha256`
 * and every redirect stayed on GitHub's release hosts; otherwise it throws a non-retryable
 * `DependencyError` (a tampered or unverifiable binary is never returned).
 */
export interface RunnerReleaseSource {
  latestAssets(options: { readonly includePrerelease: boolean }): Promise<readonly RunnerReleaseAsset[]>;
  download(asset: RunnerReleaseAsset): Promise<Uint8Array>;
}
