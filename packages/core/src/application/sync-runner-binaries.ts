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

/**
 * Mirrors the latest runner release into the binaries store, copying only what changed. Every
 * runner executes this binary at boot, so an asset is mirrored only once the release source
 * verified it against its published SHA-256: an asset without one, or whose bytes do not
 * match, is refused. The verified ones are still mirrored, then the run fails naming the
 * refused ones (not retryable: the next schedule tries again, an operator should look).
 * A retryable failure (GitHub or S3 unavailable) ends the run at once for the next tick.
 */
export async function syncRunnerBinaries(
  deps: BinariesDeps,
  options: { readonly includePrerelease: boolean },
): Promise<SyncReport> {
  const assets = await deps.releases.latestAssets(options);
  const copied: string[] = [];
  const unchanged: string[] = [];
  const refused: string[] = [];
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
