import { createHash } from 'node:crypto';
import { DependencyError, type RunnerReleaseAsset } from '@hangar/core';

/**
 * Where GitHub serves release assets: the download URL on github.com answers a 302 to its object
 * storage (objects.githubusercontent.com, and release-assets.githubusercontent.com since 2025).
 */
export const GITHUB_RELEASE_ORIGINS: readonly string[] = [
  'https://github.com',
  'https://objects.githubusercontent.com',
  'https://release-assets.githubusercontent.com',
  'https://github-releases.githubusercontent.com',
];

/** GitHub redirects once; a few more hops are tolerated, a loop is not. */
const MAX_HOPS = 5;

function refused(asset: RunnerReleaseAsset, detail: string): DependencyError {
  return new DependencyError('github', 'download-runner', `${asset.fileName}: ${detail}`, false);
}

function allowedUrl(asset: RunnerReleaseAsset, url: string, origins: readonly string[]): URL {
  const parsed = new URL(url);
  if (!origins.includes(parsed.origin))
    throw refused(asset, `${parsed.origin} is not an allowed release host: ${url}`);
  return parsed;
}

async function fetchOnce(asset: RunnerReleaseAsset, url: URL): Promise<Response> {
  try {
    // Redirects are followed by hand so that every hop is checked against the allowed hosts.
    return await fetch(url, { redirect: 'manual' });
  } catch (error) {
    throw new DependencyError('github', 'download-runner', `${asset.fileName}: ${String(error)}`, true, {
      cause: error,
    });
  }
}

/**
 * Downloads a release asset through allowed hosts only and returns its bytes if their SHA-256 is
 * the published one. A tampered or unverifiable asset is never mirrored: runners would execute it.
 */
export async function downloadVerified(
  asset: RunnerReleaseAsset,
  origins: readonly string[],
): Promise<Uint8Array> {
  if (asset.sha256 === null) throw refused(asset, 'the release has no published SHA-256 for it');
  let url = allowedUrl(asset, asset.downloadUrl, origins);
  let response = await fetchOnce(asset, url);
  for (let hops = 0; response.status >= 300 && response.status < 400; hops += 1) {
    const location = response.headers.get('location');
    if (location === null || hops >= MAX_HOPS)
      throw refused(asset, `HTTP ${response.status} without a usable redirect after ${hops} hops`);
    url = allowedUrl(asset, new URL(location, url).toString(), origins);
    response = await fetchOnce(asset, url);
  }
  if (!response.ok) {
    throw new DependencyError(
      'github',
      'download-runner',
      `${asset.fileName}: HTTP ${response.status}`,
      response.status >= 500 || response.status === 429,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== asset.sha256.toLowerCase())
    throw refused(asset, `SHA-256 ${actual} differs from the published ${asset.sha256}`);
  return bytes;
}
