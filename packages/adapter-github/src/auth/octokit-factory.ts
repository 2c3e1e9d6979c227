import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
// The light build (no Redis clustering, which Hangar does not use) is the one the throttling
// plugin loads too, so the bundles carry one Bottleneck of ~24 KiB rather than two (~110 KiB).
import Bottleneck from 'bottleneck/light.js';
import { insecureFetch } from './insecure-fetch';

/** Octokit with bounded retries (5xx) and throttling (rate limits). */
const HangarOctokit = Octokit.plugin(retry, throttling);
/** What callers use of the client: the REST methods and pagination. */
export type GitHubOctokit = Octokit;

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

const silentLog = {
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
}

const writeGroups = new Map<string, Bottleneck.Group>();

/** One Octokit authenticated as an App (JWT) or, with `installationId`, as an installation. */
export function createOctokit(o: OctokitOptions): GitHubOctokit {
  const { bounds } = o;
  const id = `hangar-app-${o.appId}`;
  let write = writeGroups.get(`${id}:${bounds.writeIntervalMs}`);
  if (!write) {
    write = new Bottleneck.Group({ maxConcurrent: 10, minTime: bounds.writeIntervalMs });
    writeGroups.set(`${id}:${bounds.writeIntervalMs}`, write);
  }
  const withinBounds = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < bounds.maxRetries && retryAfter <= bounds.maxWaitSeconds;
  return new HangarOctokit({
    authStrategy: createAppAuth,
    auth: {
      appId: o.appId,
      createJwt: o.createJwt,
      ...(o.installationId === undefined ? {} : { installationId: o.installationId }),
      ...(o.cache ? { cache: o.cache } : {}),
      log: silentLog,
    },
    baseUrl: o.baseUrl,
    log: silentLog,
    request: o.fetch ? { fetch: o.fetch } : {},
    retry: {
      retries: bounds.maxRetries,
      retryAfterBaseValue: bounds.retryBaseDelayMs,
      // Rate limits (403/429) are the throttling plugin's; other 4xx never get better.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
    throttle: {
      id,
      write,
      onRateLimit: withinBounds,
      onSecondaryRateLimit: withinBounds,
    },
  });
}

/** A plain Octokit (no App auth) with the same bounds, for public data such as runner releases. */
export function createOctokitAnonymous(
  baseUrl: string,
  token?: string,
  bounds: CallBounds = DEFAULT_BOUNDS,
): Octokit {
  const withinBounds = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < bounds.maxRetries && retryAfter <= bounds.maxWaitSeconds;
  return new HangarOctokit({
    ...(token === undefined ? {} : { auth: token }),
    baseUrl,
    log: silentLog,
    retry: { retries: bounds.maxRetries, retryAfterBaseValue: bounds.retryBaseDelayMs },
    throttle: { id: 'hangar-anonymous', onRateLimit: withinBounds, onSecondaryRateLimit: withinBounds },
  });
}
