import { ConfigurationError, DependencyError, type IsoTime } from '@hangar/core';
import { isHttpFailure, isInstallationGone, rateLimitOf, responseStatus, toCoreError } from '../errors';
import { appJwtSigner, parseAppKey } from './app-jwt';
import { DEFAULT_BOUNDS, fetchFor, type CallBounds, type OctokitOptions } from './call-bounds';
import { createOctokit, type GitHubOctokit } from './octokit-factory';
import type { RequestOctokit } from './request-client';
import { InstallationTokenCache } from './token-cache';

/** Settings of the GitHub clients (one or more Apps installed identically). */
export interface GitHubClientSettings {
  readonly apps: readonly { readonly appId: number; readonly privateKey: string }[];
  /** REST API root; GHES: `https://ghes.example.com/api/v3`. Default GitHub.com. */
  readonly baseUrl?: string;
  /** False only for GHES with a certificate Node cannot verify. Default true. */
  readonly tlsVerify?: boolean;
  /** A fixed installation id (single App only); otherwise looked up per owner. */
  readonly installationId?: number;
  readonly bounds?: Partial<CallBounds>;
  /** Clock for token refresh and rate-limit resets (tests pass their own). Default `Date.now`. */
  readonly now?: () => number;
  /** The `fetch` Octokit uses; wins over `tlsVerify`'s. Default the global one. */
  readonly fetch?: typeof fetch;
}

/** Where a call goes: an account (organisation or user), optionally one of its repositories. */
export interface InstallationTarget {
  readonly owner: string;
  readonly repo?: string;
}

/** One App's rate-limit state as last reported by GitHub. */
export interface AppRateLimit {
  readonly appId: number;
  /** `x-ratelimit-remaining` of its last installation call; null before any call. */
  readonly remaining: number | null;
  readonly resetAt: IsoTime | null;
}

/**
 * Builds one client of an App pool. The control plane's is `@octokit/rest` with its plugins
 * (`createOctokit`); the webhook's is `@octokit/core` alone (`createRequestOctokit`). The pool
 * calls its own routes by name (`request`), which every Octokit has.
 */
export type ClientFactory<C extends RequestOctokit> = (options: OctokitOptions) => C;

class AppSlot<C extends RequestOctokit> {
  readonly tokens: InstallationTokenCache;
  readonly asApp: C;
  private readonly asInstallation = new Map<number, C>();
  private readonly installations = new Map<string, Promise<number>>();
  remaining: number | null = null;
  resetAtMs: number | null = null;
  lastPicked = 0;

  constructor(
    readonly appId: number,
    private readonly make: (installationId?: number, cache?: InstallationTokenCache) => C,
    private readonly fixedInstallationId: number | undefined,
    now: () => number,
  ) {
    this.tokens = new InstallationTokenCache(now);
    this.asApp = make();
  }

  exhausted(nowMs: number): boolean {
    return this.remaining === 0 && this.resetAtMs !== null && this.resetAtMs > nowMs;
  }

  /** The installation id for an owner, looked up once (concurrent callers share the lookup). */
  installationFor(target: InstallationTarget): Promise<number> {
    if (this.fixedInstallationId !== undefined) return Promise.resolve(this.fixedInstallationId);
    const key = target.owner.toLowerCase();
    let found = this.installations.get(key);
    if (!found) {
      found = this.lookUp(target);
      this.installations.set(key, found);
      found.catch(() => this.installations.delete(key));
    }
    return found;
  }

  /** Takes `installationId` for `owner` unless one is resolved or fixed already. */
  know(owner: string, installationId: number): void {
    const key = owner.toLowerCase();
    if (this.fixedInstallationId !== undefined || this.installations.has(key)) return;
    this.installations.set(key, Promise.resolve(installationId));
  }

  /** Forgets a cached installation after GitHub disowned it; false when it cannot be re-resolved. */
  forget(target: InstallationTarget, installationId: number): boolean {
    if (this.fixedInstallationId !== undefined) return false;
    this.installations.delete(target.owner.toLowerCase());
    this.tokens.forget(installationId);
    this.asInstallation.delete(installationId);
    return true;
  }

  octokitFor(installationId: number): C {
    let octokit = this.asInstallation.get(installationId);
    if (!octokit) {
      octokit = this.make(installationId, this.tokens);
      octokit.hook.after('request', (response) => this.track(response.headers));
      octokit.hook.error('request', (error) => {
        if (isHttpFailure(error)) this.track(error.response?.headers ?? {});
        throw error;
      });
      this.asInstallation.set(installationId, octokit);
    }
    return octokit;
  }

  private track(headers: Readonly<Record<string, string | number | undefined>>): void {
    const remaining = Number(headers['x-ratelimit-remaining']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(remaining) && headers['x-ratelimit-remaining'] !== undefined)
      this.remaining = remaining;
    if (Number.isFinite(reset) && headers['x-ratelimit-reset'] !== undefined) this.resetAtMs = reset * 1000;
  }

  /**
   * The installation for a repository (`/repos/{owner}/{repo}/installation`, any account), or
   * for an account alone: an organisation's (`/orgs/{org}/installation`), else a personal
   * account's (`/users/{username}/installation`) — GitHub answers 404 on the first for a user.
   */
  private async lookUp(target: InstallationTarget): Promise<number> {
    try {
      if (target.repo) {
        const { data } = await this.asApp.request('GET /repos/{owner}/{repo}/installation', {
          owner: target.owner,
          repo: target.repo,
        });
        return data.id;
      }
      try {
        return (await this.asApp.request('GET /orgs/{org}/installation', { org: target.owner })).data.id;
      } catch (error) {
        if (responseStatus(error) !== 404) throw error;
        return (await this.asApp.request('GET /users/{username}/installation', { username: target.owner }))
          .data.id;
      }
    } catch (error) {
      if (responseStatus(error) === 404) {
        const where = target.repo ? `${target.owner}/${target.repo}` : target.owner;
        throw new ConfigurationError([`GitHub App ${this.appId} is not installed on ${where}`], {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/**
 * The GitHub clients of one process: one or more Apps, their JWTs, installation ids and
 * installation tokens, kept for the life of the process so a warm Lambda pays for none of them
 * again. Installation calls go to the App with the most rate limit left (ties in turn); an App
 * whose limit is spent is skipped until its reset. `make` builds each client: the control
 * plane's `createGitHubClients` gives `@octokit/rest` clients, the webhook's rerun client
 * (rerun-client.ts) `@octokit/core` ones.
 */
export class AppPool<C extends RequestOctokit = GitHubOctokit> {
  private readonly slots: AppSlot<C>[];
  private picks = 0;
  readonly now: () => number;

  constructor(settings: GitHubClientSettings, make: ClientFactory<C>) {
    const problems: string[] = [];
    if (settings.apps.length === 0) problems.push('at least one GitHub App is required');
    if (settings.installationId !== undefined && settings.apps.length > 1) {
      problems.push('a fixed installationId needs exactly one App (each App has its own installations)');
    }
    if (settings.tlsVerify === false && settings.baseUrl === undefined) {
      problems.push('tlsVerify=false is only for GitHub Enterprise Server: set baseUrl too');
    }
    if (problems.length > 0) throw new ConfigurationError(problems);
    this.now = settings.now ?? Date.now;
    const bounds = { ...DEFAULT_BOUNDS, ...settings.bounds };
    const baseUrl = (settings.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    const fetch = settings.fetch ?? fetchFor(settings.tlsVerify ?? true);
    this.slots = settings.apps.map(({ appId, privateKey }) => {
      const createJwt = appJwtSigner(appId, parseAppKey(appId, privateKey), this.now);
      const client = (installationId?: number, cache?: InstallationTokenCache) =>
        make({ appId, createJwt, installationId, cache, baseUrl, fetch, bounds, now: this.now });
      return new AppSlot(appId, client, settings.installationId, this.now);
    });
  }

  /** Rate limit left per App, for metrics. */
  rateLimitRemaining(): readonly AppRateLimit[] {
    return this.slots.map((s) => ({
      appId: s.appId,
      remaining: s.remaining,
      resetAt: s.resetAtMs === null ? null : new Date(s.resetAtMs).toISOString(),
    }));
  }

  /**
   * Takes the installation id a `workflow_job` webhook named for `owner` (its
   * `installation.id`), so this process needs no lookup for it. Only with a single App: each
   * App has its own installations, and the payload does not say which App's it is. A stale id
   * (the App reinstalled since) is refused by GitHub, then looked up like a cached one.
   */
  knowInstallation(owner: string, installationId: number): void {
    const [only, ...others] = this.slots;
    if (only && others.length === 0) only.know(owner, installationId);
  }

  /** Each App authenticated as itself (JWT), for App-level routes such as webhook deliveries. */
  appClients(): readonly { readonly appId: number; readonly octokit: C }[] {
    return this.slots.map((s) => ({ appId: s.appId, octokit: s.asApp }));
  }

  /**
   * Runs `call` with an installation client for `target`. An installation GitHub no longer
   * knows is looked up again once; an App out of rate limit hands over to the next one. Every
   * failure leaves as a core error.
   */
  async withInstallation<T>(
    target: InstallationTarget,
    operation: string,
    call: (octokit: C) => Promise<T>,
  ): Promise<T> {
    const tried = new Set<AppSlot<C>>();
    for (;;) {
      const slot = this.pick(tried, operation);
      tried.add(slot);
      try {
        return await this.onSlot(slot, target, call);
      } catch (error) {
        const spent = rateLimitOf(error, this.now()) !== undefined;
        if (spent && this.slots.some((s) => !tried.has(s) && !s.exhausted(this.now()))) continue;
        throw toCoreError(error, operation, this.now());
      }
    }
  }

  private async onSlot<T>(
    slot: AppSlot<C>,
    target: InstallationTarget,
    call: (octokit: C) => Promise<T>,
  ): Promise<T> {
    const installationId = await slot.installationFor(target);
    try {
      return await call(slot.octokitFor(installationId));
    } catch (error) {
      if (!isInstallationGone(error) || !slot.forget(target, installationId)) throw error;
      return call(slot.octokitFor(await slot.installationFor(target)));
    }
  }

  private pick(tried: ReadonlySet<AppSlot<C>>, operation: string): AppSlot<C> {
    const now = this.now();
    const open = this.slots.filter((s) => !tried.has(s) && !s.exhausted(now));
    const score = (s: AppSlot<C>) => s.remaining ?? Number.POSITIVE_INFINITY;
    const best = open.reduce<AppSlot<C> | undefined>((a, s) => {
      if (!a) return s;
      if (score(s) !== score(a)) return score(s) > score(a) ? s : a;
      return s.lastPicked < a.lastPicked ? s : a;
    }, undefined);
    if (best) {
      best.lastPicked = ++this.picks;
      return best;
    }
    const resets = this.slots.map((s) => s.resetAtMs ?? now).filter((r) => r > now);
    const retryAfterSeconds = Math.max(1, Math.ceil((Math.min(...resets, now + 60_000) - now) / 1000));
    throw new DependencyError('github', operation, 'every GitHub App is out of rate limit', true, {
      retryAfterSeconds,
    });
  }
}

/**
 * The control plane's clients (`@octokit/rest`) for `settings`; invalid settings or keys throw
 * `ConfigurationError`. A bundle that never calls this carries no `@octokit/rest`: esbuild drops
 * the unused function and, the package being free of side effects, octokit-factory.ts with it.
 */
export function createGitHubClients(settings: GitHubClientSettings): AppPool {
  return new AppPool(settings, createOctokit);
}
