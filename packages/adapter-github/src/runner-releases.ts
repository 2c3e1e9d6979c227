import type { RunnerReleaseAsset, RunnerReleaseSource } from '@hangar/core';
import { Octokit } from '@octokit/rest';
import { createOctokitAnonymous, type CallBounds } from './auth/octokit-factory';
import { toCoreError } from './errors';
import { downloadVerified, GITHUB_RELEASE_ORIGINS } from './release-download';

/** `actions-runner-<os>-<arch>-<version>.<tar.gz|zip>`; other builds (linux-arm, noruntime…) are skipped. */
const ASSET = /^actions-runner-(linux|win|osx)-(x64|arm64)-(\d+\.\d+\.\d+)\.(?:tar\.gz|zip)$/;

interface ReleaseJson {
  readonly tag_name: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  readonly body?: string | null;
  readonly assets: readonly {
    readonly name: string;
    readonly browser_download_url: string;
    /** `sha256:<hex>`, computed by GitHub at upload (assets uploaded since mid-2025). */
    readonly digest?: string | null;
  }[];
}

export interface RunnerReleaseSettings {
  /** Where the releases live: GitHub.com even for GHES users (actions/runner is published there). */
  readonly baseUrl?: string;
  /**
   * Origins a download may start at and be redirected to. Default GitHub's release hosts
   * (https only); tests pass their loopback stand-ins.
   */
  readonly downloadOrigins?: readonly string[];
  readonly now?: () => number;
  /** Retry and rate-limit wait bounds (default `DEFAULT_BOUNDS`). */
  readonly bounds?: CallBounds;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The SHA-256 GitHub publishes for an asset: its `digest`, else the checksum actions/runner
 * writes in the release notes between `<!-- BEGIN SHA <os>-<arch> -->` and
 * `<!-- END SHA <os>-<arch> -->`. When both exist and disagree, none is trusted (null).
 */
export function publishedSha256(
  platform: string,
  digest: string | null | undefined,
  body: string | null | undefined,
): string | null {
  const fromDigest = digest?.startsWith('sha256:') ? digest.slice('sha256:'.length).toLowerCase() : null;
  const begin = `<!-- BEGIN SHA ${platform} -->`;
  const start = body?.indexOf(begin) ?? -1;
  const end = start < 0 ? -1 : (body?.indexOf(`<!-- END SHA ${platform} -->`, start) ?? -1);
  const fromBody =
    end < 0
      ? null
      : (body
          ?.slice(start + begin.length, end)
          .trim()
          .toLowerCase() ?? null);
  const valid = [fromDigest, fromBody].filter((v): v is string => v !== null && HEX_SHA256.test(v));
  if (valid.length === 0 || new Set(valid).size > 1) return null;
  return valid[0] ?? null;
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
    return [
      {
        os,
        arch,
        version,
        fileName: asset.name,
        downloadUrl: asset.browser_download_url,
        sha256: publishedSha256(`${os}-${arch}`, asset.digest, release.body),
      },
    ];
  });
}

/** `RunnerReleaseSource` over the `actions/runner` releases. */
export class GitHubRunnerReleases implements RunnerReleaseSource {
  static readonly DEFAULT_DOWNLOAD_ORIGINS = GITHUB_RELEASE_ORIGINS;
  private readonly octokit: Octokit;
  private readonly now: () => number;
  private readonly downloadOrigins: readonly string[];

  /**
   * Anonymous on purpose: one API call per sync (60 an hour are allowed per IP), and the
   * mirror needs no GitHub App key — the most powerful secret of a deployment stays with the
   * functions that register and remove runners. GHES Apps cannot read github.com anyway.
   */
  constructor(settings: RunnerReleaseSettings = {}) {
    this.octokit = createOctokitAnonymous(
      settings.baseUrl ?? 'https://api.github.com',
      undefined,
      settings.bounds,
    );
    this.now = settings.now ?? Date.now;
    this.downloadOrigins = settings.downloadOrigins ?? GITHUB_RELEASE_ORIGINS;
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

  /** Downloads an asset from GitHub's release hosts, verified against its published SHA-256. */
  download(asset: RunnerReleaseAsset): Promise<Uint8Array> {
    return downloadVerified(asset, this.downloadOrigins);
  }
}
