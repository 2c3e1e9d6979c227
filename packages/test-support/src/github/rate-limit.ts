import type { Caller } from './http-kit';

/** Request budgets per hour. GitHub gives installations 5,000–12,500 and anonymous callers 60. */
export interface RateLimitOptions {
  readonly installation?: number;
  readonly app?: number;
  readonly anonymous?: number;
}

interface Bucket {
  limit: number;
  used: number;
  resetMs: number;
}

const WINDOW_MS = 60 * 60 * 1000;

/**
 * GitHub's primary rate limit. Budgets are per installation (all its tokens share one), per
 * App for JWT calls, and shared by anonymous callers. Windows run on the auth clock, because
 * Octokit's throttling plugin computes its wait from `x-ratelimit-reset` against real time.
 */
export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly authNow: () => number,
  ) {}

  /** Charges one request; false when the budget is spent (the caller answers 403). */
  consume(caller: Caller): boolean {
    const bucket = this.bucket(caller);
    if (bucket.used >= bucket.limit) return false;
    bucket.used += 1;
    return true;
  }

  /** `x-ratelimit-*` headers as GitHub sends them on every response. */
  headers(caller: Caller): Record<string, string> {
    const b = this.bucket(caller);
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(Math.max(0, b.limit - b.used)),
      'x-ratelimit-reset': String(Math.ceil(b.resetMs / 1000)),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-resource': 'core',
    };
  }

  /** GitHub's `GET /rate_limit` body for the caller. */
  body(caller: Caller): unknown {
    const b = this.bucket(caller);
    const core = {
      limit: b.limit,
      remaining: Math.max(0, b.limit - b.used),
      reset: Math.ceil(b.resetMs / 1000),
      used: b.used,
      resource: 'core',
    };
    // GitHub always reports the search bucket beside core (30 a minute for installations).
    const search = {
      limit: 30,
      remaining: 30,
      reset: Math.ceil((this.authNow() + 60_000) / 1000),
      used: 0,
      resource: 'search',
    };
    return { resources: { core, search }, rate: core };
  }

  /** Sets an installation's remaining budget (e.g. 0 to test exhaustion) and optionally its reset. */
  set(installationId: number, remaining: number, resetAtMs?: number): void {
    const bucket = this.byKey(`installation:${installationId}`, this.options.installation ?? 5000);
    bucket.used = Math.max(0, bucket.limit - remaining);
    if (resetAtMs !== undefined) bucket.resetMs = resetAtMs;
  }

  private bucket(caller: Caller): Bucket {
    switch (caller.kind) {
      case 'installation':
        return this.byKey(`installation:${caller.installation.id}`, this.options.installation ?? 5000);
      case 'app':
        return this.byKey(`app:${caller.appId}`, this.options.app ?? 5000);
      case 'anonymous':
        return this.byKey('anonymous', this.options.anonymous ?? 60);
    }
  }

  /** A bucket, refilled when its window has passed. */
  private byKey(key: string, limit: number): Bucket {
    const now = this.authNow();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetMs <= now) {
      bucket = { limit, used: 0, resetMs: now + WINDOW_MS };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
