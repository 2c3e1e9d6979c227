import { Octokit } from '@octokit/core';
import { rateLimitOf, statusOf } from '../errors';
import { appClientOptions } from './app-client-options';
import { FINAL_STATUSES, type CallBounds, type OctokitOptions } from './call-bounds';

/**
 * The smallest GitHub client: `@octokit/core` with App authentication, calling routes by name
 * (`octokit.request('POST /repos/{owner}/{repo}/…')`, typed from GitHub's REST description).
 * `@octokit/rest` is this core plus plugins — its endpoint table (~80 KiB), pagination, and the
 * retry and throttling plugins with Bottleneck — which the control plane uses on its main path.
 * The webhook makes one rare call (the re-run of a spot-interrupted job) and carries only this
 * (docs/runtime.md, "Bundles").
 */
export type RequestOctokit = Octokit;

/** Rate limits (403/429) are read by `rateLimitOf` first; other statuses in it never get better. */
const FINAL = new Set(FINAL_STATUSES);

/**
 * How long to wait before trying a failed call again, or undefined to give up — the same
 * bounds as the control plane's retry and throttling plugins: a 5xx (or a request that got no
 * answer, which Octokit reports as 500) waits base × 1, then base × 4; a rate limit whose wait
 * is at most `maxWaitSeconds` is waited out; at most `maxRetries` retries in all. What is given
 * up on leaves as the error it was; the App pool makes it a core error (retryable for 5xx and
 * rate limits, with GitHub's wait).
 */
export function retryDelayMs(
  error: unknown,
  retriesSoFar: number,
  bounds: CallBounds,
  nowMs: number,
): number | undefined {
  if (retriesSoFar >= bounds.maxRetries) return undefined;
  const limited = rateLimitOf(error, nowMs);
  if (limited) {
    return limited.retryAfterSeconds <= bounds.maxWaitSeconds ? limited.retryAfterSeconds * 1000 : undefined;
  }
  const status = statusOf(error);
  if (status === undefined || status < 400 || FINAL.has(status)) return undefined;
  return bounds.retryBaseDelayMs * (retriesSoFar + 1) ** 2;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One core Octokit authenticated as an App (JWT) or, with `installationId`, as an installation. */
export function createRequestOctokit(o: OctokitOptions): RequestOctokit {
  const octokit = new Octokit(appClientOptions(o));
  // Wrapped last, so outermost: a retry goes through authentication again (a token that could
  // not be created is asked for again, as with the retry plugin).
  octokit.hook.wrap('request', async (request, options) => {
    for (let retries = 0; ; retries += 1) {
      try {
        return await request(options);
      } catch (error) {
        const wait = retryDelayMs(error, retries, o.bounds, o.now());
        if (wait === undefined) throw error;
        await sleep(wait);
      }
    }
  });
  return octokit;
}
