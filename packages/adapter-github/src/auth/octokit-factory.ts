import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
// The light build (no Redis clustering, which Hangar does not use) is the one the throttling
// plugin loads too, so the bundles carry one Bottleneck of ~24 KiB rather than two (~110 KiB).
import Bottleneck from 'bottleneck/light.js';
import { appClientOptions } from './app-client-options';
import {
  DEFAULT_BOUNDS,
  FINAL_STATUSES,
  silentLog,
  type CallBounds,
  type OctokitOptions,
} from './call-bounds';

export { DEFAULT_BOUNDS, fetchFor, type CallBounds, type OctokitOptions } from './call-bounds';

/** Octokit with bounded retries (5xx) and throttling (rate limits). */
const HangarOctokit = Octokit.plugin(retry, throttling);
/**
 * What callers use of the client: the REST methods and pagination. An interface, so declaration
 * files name it rather than spell out Octokit's plugin types (the default of `AppPool<C>`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see above
export interface GitHubOctokit extends Octokit {}

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
    ...appClientOptions(o),
    retry: {
      retries: bounds.maxRetries,
      retryAfterBaseValue: bounds.retryBaseDelayMs,
      // Rate limits (403/429) are the throttling plugin's; other 4xx never get better.
      doNotRetry: [...FINAL_STATUSES],
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
