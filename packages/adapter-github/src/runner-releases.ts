import type { RunnerReleaseAsset, RunnerReleaseSource } from '@hangar/core';
import { Octokit } from '@octokit/rest';
import { DependencyError } from '@hangar/core';
import { createOctokitAnonymous, type CallBounds } from './auth/octokit-factory';
import { toCoreError } from './errors';

/** `actions-runner-<os>-<arch>-<version>.<tar.gz|zip>`; other builds (linux-arm, noruntime…) are skipped. */
const ASSET = /^actions-runner-(linux|win|osx)-(x64|arm64)-(\d+\.\d+\.\d+)\.(?:tar\.gz|zip)$/;

interface ReleaseJson {
  readonly tag_name: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  readonly assets: readonly { readonly name: string; readonly browser_download_url: string }[];
}

export interface RunnerReleaseSettings {
  /** Where the releases live: GitHub.com even for GHES users (actions/runner is published there). */
  readonly baseUrl?: string;
  /** An optional token (anonymous calls get 60 per hour). */
  readonly token?: string;
  readonly now?: () => number;
  /** Retry and rate-limit wait bounds (default `DEFAULT_BOUNDS`). */
  readonly bounds?: CallBounds;
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
    return [{ os, arch, version, fileName: asset.name, downloadUrl: asset.browser_download_url }];
  });
}

/** `RunnerReleaseSource` over the `actions/runner` releases. */
export class GitHubRunnerReleases implements RunnerReleaseSource {
  private readonly octokit: Octokit;
  private readonly now: () => number;

  constructor(settings: RunnerReleaseSettings = {}) {
    this.octokit = createOctokitAnonymous(
      settings.baseUrl ?? 'https://api.github.com',
      settings.token,
      settings.bounds,
    );
    this.now = settings.now ?? Date.now;
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

  /** Downloads an asset, following GitHub's redirect to its object storage. */
  async download(asset: RunnerReleaseAsset): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(asset.downloadUrl, { redirect: 'follow' });
    } catch (error) {
      throw new DependencyError('github', 'download-runner', `${asset.fileName}: ${String(error)}`, true, {
        cause: error,
      });
    }
    if (!response.ok) {
      throw new DependencyError(
        'github',
        'download-runner',
        `${asset.fileName}: HTTP ${response.status}`,
        response.status >= 500 || response.status === 429,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }
}
