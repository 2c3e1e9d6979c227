import type { RunnerReleaseAsset } from '../ports/runner-registry';
import { DependencyError } from '../shared/errors';
import type { BinariesDeps } from './deps';

export interface SyncReport {
  readonly copied: readonly string[];
  readonly unchanged: readonly string[];
}

/** The object key a runner's bootstrap downloads: one per OS and architecture. */
export function binaryKey(asset: Pick<RunnerReleaseAsset, 'os' | 'arch'>): string {
  return `actions-runner-${asset.os}-${asset.arch}.${asset.os === 'win' ? 'zip' : 'tar.gz'}`;
}

/** A runner build as the release names it: `linux-x64`, `win-x64`, `osx-arm64`… */
export type RunnerPlatform = `${RunnerReleaseAsset['os']}-${RunnerReleaseAsset['arch']}`;

export interface SyncOptions {
  readonly includePrerelease: boolean;
  /**
   * The builds the deployment's runners boot from (the module derives them from its runner
   * configurations); the others are neither read from S3 nor downloaded. Absent: every build
   * the release publishes.
   */
  readonly platforms?: readonly RunnerPlatform[];
}

/**
 * Mirrors the latest runner release into the binaries store, copying only what changed and
 * only the configured platforms (a deployment of Linux x64 pools needs one of its six builds). Every
 * runner executes this binary at boot, so an asset is mirrored only once the release source
 * verified it against its published SHA-256: an asset without one, or whose bytes do not
 * match, is refused. The verified ones are still mirrored, then the run fails naming the
 * refused ones (not retryable: the next schedule tries again, an operator should look).
 * A retryable failure (GitHub or S3 unavailable) ends the run at once for the next tick.
 */
export async function syncRunnerBinaries(deps: BinariesDeps, options: SyncOptions): Promise<SyncReport> {
  const published = await deps.releases.latestAssets({ includePrerelease: options.includePrerelease });
  const platformOf = (asset: RunnerReleaseAsset): string => `${asset.os}-${asset.arch}`;
  const wanted = options.platforms === undefined ? null : new Set<string>(options.platforms);
  const assets = published.filter((asset) => wanted === null || wanted.has(platformOf(asset)));
  const copied: string[] = [];
  const unchanged: string[] = [];
  // A configured platform the release lacks leaves its runners without a binary to boot from.
  const refused: string[] = [...(wanted ?? [])]
    .filter((platform) => !published.some((asset) => platformOf(asset) === platform))
    .map((platform) => `${platform} (not published by the latest release)`);
  for (const asset of assets) {
    const key = binaryKey(asset);
    const stored = await deps.binaries.head(key);
    if (stored?.version === asset.version) {
      unchanged.push(key);
      continue;
    }
    if (asset.sha256 === null) {
      refused.push(`${key} (no published SHA-256)`);
      continue;
    }
    const body = await downloadOrRefuse(deps, asset, key, refused);
    if (body === null) continue;
    await deps.binaries.put(key, body, { version: asset.version });
    copied.push(key);
    deps.logger.info('Runner binary mirrored', { key, version: asset.version });
  }
  deps.metrics.add('RunnerBinariesCopied', copied.length, 'Count');
  if (refused.length > 0) {
    deps.metrics.add('RunnerBinariesRefused', refused.length, 'Count');
    deps.logger.error('Runner binaries refused', { refused });
    throw new DependencyError(
      'github',
      'verify-runner-binaries',
      `not mirrored: ${refused.join(', ')}`,
      false,
    );
  }
  return { copied, unchanged };
}

/** The verified bytes, or null after recording why a non-retryable failure refused the asset. */
async function downloadOrRefuse(
  deps: BinariesDeps,
  asset: RunnerReleaseAsset,
  key: string,
  refused: string[],
): Promise<Uint8Array | null> {
  try {
    return await deps.releases.download(asset);
  } catch (error) {
    if (!(error instanceof DependencyError) || error.retryable) throw error;
    refused.push(`${key} (${error.message})`);
    return null;
  }
}
