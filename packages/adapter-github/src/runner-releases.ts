import type { RunnerReleaseAsset, RunnerReleaseSource } from '@hangar/core';
import { Octokit } from '@octokit/rest';
import { createOctokitAnonymous } from './auth/octokit-factory';
import { toCoreError } from './errors';
import { downloadVerified, GITHUB_RELEASE_ORIGINS } from './release-download';

/** `actions-runner-<os>-<arch>-<version>.<tar.gz|zip>`; other builds (linux-arm, noruntime…) are skipped. */
const ASSET = /^actions-runner-(linux|win|osx)-(x64|arm64)-(\d+\.\d+\.\d+)\.(?:tar\.gz|zip)$/;

interface ReleaseJson {
  readonly tag_name: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  /** actions/runner's notes list each package's SHA-256 between `<!-- BEGIN SHA <os>-<arch> -->` markers. */
  readonly body?: string | null;
  readonly assets: readonly {
    readonly name: string;
    readonly browser_download_url: string;
    /** `sha256:<hex>`, computed by GitHub for assets (2025 on); absent on older releases. */
    readonly digest?: string | null;
  }[];
}

export interface RunnerReleaseSettings {
  /** Where the releases live: GitHub.com even for GHES users (actions/runner is published there). */
  readonly baseUrl?: string;
  /** An optional token (anonymous calls get 60 per hour). */
  readonly token?: string;
  /** Origins a download and each of its redirects may use (default: GitHub's release hosts, https). */
  readonly downloadOrigins?: readonly string[];
  readonly now?: () => number;
}

/** The published SHA-256 of one asset: GitHub's `digest`, else the release notes' marker. */
function publishedSha256(
  release: ReleaseJson,
  asset: ReleaseJson['assets'][number],
  platform: string,
): string | null {
  const digest = /^sha256:([0-9a-f]{64})$/i.exec(asset.digest ?? '');
  if (digest) return (digest[1] as string).toLowerCase();
  const marker = new RegExp(
    `<!-- BEGIN SHA ${platform} -->\\s*([0-9a-f]{64})\\s*<!-- END SHA ${platform} -->`,
    'i',
  );
  const noted = marker.exec(release.body ?? '');
  return noted ? (noted[1] as string).toLowerCase() : null;
}

/** Parses release asset names into the per-OS/arch assets the binaries mirror syncs. */
export function parseRunnerAssets(release: ReleaseJson): RunnerReleaseAsset[] {
  return release.assets.flatMap((asset) => {
    const m = ASSET.exec(asset.name);
    if (!m) return [];
    const [, os, arch, version] = m as unknown as [
      string,
      RunnerReleaseAsset['os'],
      RunnerReleaseAsset['arch'],
      string,
    ];
    const sha256 = publishedSha256(release, asset, `${os}-${arch}`);
    return [{ os, arch, version, fileName: asset.name, downloadUrl: asset.browser_download_url, sha256 }];
  });
}

/** `RunnerReleaseSource` over the `actions/runner` releases. */
export class GitHubRunnerReleases implements RunnerReleaseSource {
  private readonly octokit: Octokit;
  private readonly now: () => number;
  private readonly downloadOrigins: readonly string[];

  constructor(settings: RunnerReleaseSettings = {}) {
    this.octokit = createOctokitAnonymous(settings.baseUrl ?? 'https://api.github.com', settings.token);
    this.now = settings.now ?? Date.now;
    this.downloadOrigins = (settings.downloadOrigins ?? GITHUB_RELEASE_ORIGINS).map((o) => new URL(o).origin);
  }

  async latestAssets(options: {
    readonly includePrerelease: boolean;
  }): Promise<readonly RunnerReleaseAsset[]> {
    try {
      const repo = { owner: 'actions', repo: 'runner' };
      if (!options.includePrerelease) {
        const { data } = await this.octokit.rest.repos.getLatestRelease(repo);
        return parseRunnerAssets(data);
      }
      // The list is newest first and includes prereleases; drafts are never published assets.
      const { data } = await this.octokit.rest.repos.listReleases({ ...repo, per_page: 10 });
      const newest = data.find((r) => !r.draft);
      return newest ? parseRunnerAssets(newest) : [];
    } catch (error) {
      throw toCoreError(error, 'latest-runner-release', this.now());
    }
  }

  /** Downloads an asset through GitHub's release hosts and checks its published SHA-256. */
  async download(asset: RunnerReleaseAsset): Promise<Uint8Array> {
    return downloadVerified(asset, this.downloadOrigins);
  }
}
