import type { RunnerReleaseAsset } from '../ports/runner-registry';
import type { BinariesDeps } from './deps';

export interface SyncReport {
  readonly copied: readonly string[];
  readonly unchanged: readonly string[];
}

/** The object key a runner's bootstrap downloads: one per OS and architecture. */
export function binaryKey(asset: Pick<RunnerReleaseAsset, 'os' | 'arch'>): string {
  return `actions-runner-${asset.os}-${asset.arch}.${asset.os === 'win' ? 'zip' : 'tar.gz'}`;
}

/** Mirrors the latest runner release into the binaries store, copying only what changed. */
export async function syncRunnerBinaries(
  deps: BinariesDeps,
  options: { readonly includePrerelease: boolean },
): Promise<SyncReport> {
  const assets = await deps.releases.latestAssets(options);
  const copied: string[] = [];
  const unchanged: string[] = [];
  for (const asset of assets) {
    const key = binaryKey(asset);
    const stored = await deps.binaries.head(key);
    if (stored?.version === asset.version) {
      unchanged.push(key);
      continue;
    }
    const body = await deps.releases.download(asset);
    await deps.binaries.put(key, body, { version: asset.version });
    copied.push(key);
    deps.logger.info('Runner binary mirrored', { key, version: asset.version });
  }
  deps.metrics.add('RunnerBinariesCopied', copied.length, 'Count');
  return { copied, unchanged };
}
