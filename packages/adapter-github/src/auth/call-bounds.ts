// The settings every GitHub client shares, kept apart from the Octokit classes: the webhook's
// request client (request-client.ts) imports them without loading `@octokit/rest`.
import { insecureFetch } from './insecure-fetch';

/** Bounds that keep every GitHub call inside a Lambda timeout. */
export interface CallBounds {
  /** Retries after a 5xx or a rate limit (default 2). */
  readonly maxRetries: number;
  /** Longest rate-limit wait honoured before giving up and reporting `retryAfterSeconds` (default 10). */
  readonly maxWaitSeconds: number;
  /** 5xx back-off unit: waits are base × 1, base × 4 (default 1000 ms). */
  readonly retryBaseDelayMs: number;
  /**
   * Minimum gap between write calls (POST/DELETE) per App. GitHub advises 1 s to avoid
   * secondary limits; the default 0 keeps a 500-runner scale-down inside a Lambda timeout and
   * relies on honouring `retry-after` instead.
   */
  readonly writeIntervalMs: number;
}

export const DEFAULT_BOUNDS: CallBounds = {
  maxRetries: 2,
  maxWaitSeconds: 10,
  retryBaseDelayMs: 1000,
  writeIntervalMs: 0,
};

/** Statuses a retry cannot change: bad requests, credentials, permissions, gone, limits (waited for separately). */
export const FINAL_STATUSES: readonly number[] = [400, 401, 403, 404, 409, 410, 422, 429, 451];

export const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * `fetch` for Octokit: Node's own, or with `tlsVerify: false` (GHES with a private CA or a
 * self-signed certificate) one that skips certificate verification (insecure-fetch.ts).
 */
export function fetchFor(tlsVerify: boolean): typeof fetch | undefined {
  return tlsVerify ? undefined : insecureFetch;
}

/** What an App pool gives a client factory to build one client with. */
export interface OctokitOptions {
  readonly appId: number;
  readonly createJwt: (
    appId: string | number,
    timeDifference?: number,
  ) => Promise<{ jwt: string; expiresAt: string }>;
  readonly installationId?: number;
  readonly cache?: { get(key: string): string | undefined; set(key: string, value: string): void };
  readonly baseUrl: string;
  readonly fetch: typeof fetch | undefined;
  readonly bounds: CallBounds;
  /** The pool's clock (rate-limit resets are read against it). */
  readonly now: () => number;
}
