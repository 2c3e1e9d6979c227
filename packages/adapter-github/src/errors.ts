import { ConfigurationError, DependencyError, HangarError } from '@hangar/core';

/** The parts of Octokit's `RequestError` we read (kept structural so no Octokit type leaks out). */
interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly headers?: Readonly<Record<string, string | number | undefined>> };
  readonly request?: { readonly url?: string };
}

/** True for an Octokit `RequestError` (or anything shaped like one). */
export function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { request?: unknown }).request === 'object'
  );
}

/** The HTTP status of an Octokit error, or undefined for anything else. */
export const statusOf = (error: unknown): number | undefined =>
  isHttpFailure(error) ? error.status : undefined;

const header = (error: HttpFailure, name: string): string | undefined => {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
};

/** GitHub's secondary limit says so in the message; the primary one zeroes `x-ratelimit-remaining`. */
export function rateLimitOf(error: unknown, nowMs: number): { retryAfterSeconds: number } | undefined {
  if (!isHttpFailure(error) || (error.status !== 403 && error.status !== 429)) return undefined;
  const retryAfter = Number(header(error, 'retry-after'));
  if (/secondary rate/i.test(error.message)) {
    return { retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60 };
  }
  if (header(error, 'x-ratelimit-remaining') === '0' || error.status === 429) {
    const reset = Number(header(error, 'x-ratelimit-reset')) * 1000;
    const untilReset = Number.isFinite(reset) ? Math.max(1, Math.ceil((reset - nowMs) / 1000)) : 60;
    return { retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : untilReset };
  }
  return undefined;
}

/** Why a request never got an answer (refused, reset, TLS), from the fetch error Octokit wraps. */
function transportCause(error: HttpFailure): string | undefined {
  const cause = (error as { cause?: { message?: unknown; cause?: { message?: unknown } } }).cause;
  const inner = cause?.cause?.message ?? cause?.message;
  return typeof inner === 'string' ? inner : undefined;
}

/** The first line of GitHub's message, without request details (never tokens or bodies). */
function summary(error: HttpFailure): string {
  const cause = transportCause(error);
  const message = `HTTP ${error.status}: ${error.message.split('\n')[0] ?? ''}`;
  return cause && !error.message.includes(cause) ? `${message} (${cause})` : message;
}

/**
 * Turns anything thrown while talking to GitHub into a core error. Rate limits and 5xx (after
 * the adapter's own bounded retries) are retryable, with GitHub's wait when it gave one;
 * 401/403 are credential or permission problems, and other 4xx are requests GitHub refuses:
 * retrying cannot help.
 */
export function toCoreError(error: unknown, operation: string, nowMs: number): HangarError {
  if (error instanceof HangarError) return error;
  if (isHttpFailure(error)) {
    const limited = rateLimitOf(error, nowMs);
    if (limited) {
      return new DependencyError('github', operation, `rate limited, ${summary(error)}`, true, {
        cause: error,
        retryAfterSeconds: limited.retryAfterSeconds,
      });
    }
    // Octokit reports a failed fetch (refused connection, reset, TLS) as status 500.
    const retryable = error.status >= 500 || error.status === 408;
    return new DependencyError('github', operation, summary(error), retryable, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyError('github', operation, `unexpected failure: ${message}`, false, { cause: error });
}

/** A setting GitHub itself disproves (unknown runner group, App not installed). */
export const misconfigured = (problem: string, cause?: unknown): ConfigurationError =>
  new ConfigurationError([problem], { cause });

/** True when the failure came from creating the installation token, not from the API call. */
export const isTokenFailure = (error: unknown): boolean =>
  isHttpFailure(error) && /\/app\/installations\/\d+\/access_tokens$/.test(error.request?.url ?? '');

/**
 * The status GitHub answered the API call with; undefined when the call never got that far
 * (token creation failed, network error), so a token 404 is never read as "runner not found".
 */
export const responseStatus = (error: unknown): number | undefined =>
  isHttpFailure(error) && !isTokenFailure(error) ? error.status : undefined;

/**
 * The installation behind a cached id is gone (uninstalled/reinstalled): its token is refused
 * (401) or a new token cannot be created for it (404).
 */
export const isInstallationGone = (error: unknown): boolean =>
  isHttpFailure(error) && (error.status === 401 || (error.status === 404 && isTokenFailure(error)));
