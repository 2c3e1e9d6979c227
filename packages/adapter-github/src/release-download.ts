import { createHash } from 'node:crypto';
import { DependencyError, type RunnerReleaseAsset } from '@hangar/core';

/**
 * Where GitHub serves release assets: the download URL on github.com answers 302 to its object
 * storage (objects.githubusercontent.com, and release-assets.githubusercontent.com since 2025).
 */
export const GITHUB_RELEASE_ORIGINS: readonly string[] = [
  'https://github.com',
  'https://objects.githubusercontent.com',
  'https://release-assets.githubusercontent.com',
];

/** GitHub needs one hop; a few more tolerate a CDN change without allowing a loop. */
const MAX_REDIRECTS = 5;

const refuse = (asset: RunnerReleaseAsset, message: string, retryable = false, cause?: unknown) =>
  new DependencyError('github', 'download-runner', `${asset.fileName}: ${message}`, retryable, { cause });

/** The origin of `url`, or null when it is not an absolute URL. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Follows redirects by hand so that every hop stays on an allowed origin (scheme, host and
 * port): the runner binary is what every runner executes as root at boot, so a redirect to
 * any other host is refused rather than followed.
 */
async function fetchFromReleaseHosts(
  asset: RunnerReleaseAsset,
  origins: readonly string[],
): Promise<Response> {
  let url = asset.downloadUrl;
  if (!origins.includes(originOf(url) ?? ''))
    throw refuse(asset, `${originOf(url) ?? url} is not a GitHub release host`);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual' });
    } catch (error) {
      throw refuse(asset, String(error), true, error);
    }
    if (response.status < 300 || response.status >= 400) return response;
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw refuse(asset, `HTTP ${response.status} without a location`);
    const next = new URL(location, url).toString();
    if (!origins.includes(originOf(next) ?? ''))
      throw refuse(asset, `redirect to ${originOf(next) ?? next} refused (not a GitHub release host)`);
    url = next;
  }
  throw refuse(asset, `more than ${MAX_REDIRECTS} redirects`);
}

/**
 * Downloads a runner release asset from GitHub's release hosts and returns its bytes only when
 * their SHA-256 is the one the release publishes. An asset without a published checksum is
 * refused too: an unverifiable binary is never mirrored.
 */
export async function downloadVerified(
  asset: RunnerReleaseAsset,
  origins: readonly string[],
): Promise<Uint8Array> {
  if (asset.sha256 === null) throw refuse(asset, 'the release has no published SHA-256 for it; not mirrored');
  const response = await fetchFromReleaseHosts(asset, origins);
  if (!response.ok) {
    throw refuse(asset, `HTTP ${response.status}`, response.status >= 500 || response.status === 429);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== asset.sha256) {
    throw refuse(asset, `SHA-256 mismatch: the release publishes ${asset.sha256}, the download is ${actual}`);
  }
  return bytes;
}
