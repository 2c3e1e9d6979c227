import type { IsoTime, JobId } from '../shared/brand';
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
 * GitHub's view of runners and jobs, through one App installation (or several sharing load).
 *
 * Contract:
 * - `createJitConfig` registers a one-job runner and returns its config (a secret: never log it);
 *   a name already registered is replaced only if that runner is offline and not busy;
 * - `deleteRunner` of a busy runner returns `'busy'` (GitHub's 422) — this is the atomic
 *   check that keeps scale-down from killing a job; unknown → `'not-found'`;
 * - `getJobStatus` of an unknown job returns null;
 * - rate limits and 5xx are retried within the adapter's bounds, then thrown as
 *   `DependencyError` (retryable); 401/403 configuration problems are not retryable.
 */
export interface RunnerRegistry {
  createJitConfig(
    request: JitConfigRequest,
  ): Promise<{ readonly githubRunnerId: number; readonly encodedJitConfig: string }>;
  createRegistrationToken(
    scope: RunnerScope,
  ): Promise<{ readonly token: string; readonly expiresAt: IsoTime }>;
  listRunners(scope: RunnerScope): Promise<readonly RegisteredRunnerView[]>;
  deleteRunner(scope: RunnerScope, githubRunnerId: number): Promise<DeleteRunnerOutcome>;
  getJobStatus(
    owner: string,
    repo: string,
    jobId: JobId,
  ): Promise<{ readonly status: JobStatus; readonly conclusion: string | null } | null>;
  /** Asks GitHub to run a job again (after its runner was interrupted). */
  rerunJob(owner: string, repo: string, jobId: JobId): Promise<'requested' | 'not-possible'>;
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
