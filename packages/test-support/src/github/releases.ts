import { createHash } from 'node:crypto';
import { json, notFound, paginate, param, type Route } from './http-kit';
import { simpleUser } from './rest-shapes';
import type { ReleaseSpec } from './types';

/** Platforms GitHub publishes actions/runner for: `[platform, archive extension]`. */
const PLATFORMS = [
  ['linux-x64', 'tar.gz'],
  ['linux-arm64', 'tar.gz'],
  ['linux-arm', 'tar.gz'],
  ['win-x64', 'zip'],
  ['win-arm64', 'zip'],
  ['osx-x64', 'tar.gz'],
  ['osx-arm64', 'tar.gz'],
] as const;

/** Releases the fake starts with; `setReleases` replaces them. */
export const DEFAULT_RELEASES: readonly ReleaseSpec[] = [
  { version: '2.331.0', prerelease: true, publishedAt: '2026-02-10T12:00:00Z' },
  { version: '2.330.0', publishedAt: '2026-01-20T12:00:00Z' },
  { version: '2.329.0', publishedAt: '2025-12-15T12:00:00Z' },
];

const RELEASES_PATH = '/repos/actions/runner/releases';
const DOWNLOAD_PATH = '/actions/runner/releases/download';

/** The small bytes served for an asset; deterministic so tests can check a checksum. */
export function assetBytes(name: string): Buffer {
  return Buffer.from(`fake ${name}\n`);
}

/**
 * actions/runner releases and their assets. Download URLs point at the fake itself
 * (`/actions/runner/releases/download/v<version>/<asset>`), which serves small bytes.
 */
export class Releases {
  private releases: readonly ReleaseSpec[] = DEFAULT_RELEASES;

  set(releases: readonly ReleaseSpec[]): void {
    this.releases = releases;
  }

  routes(): Route[] {
    return [
      {
        method: 'GET',
        template: `${RELEASES_PATH}/latest`,
        auth: 'none',
        handle: (ctx) => {
          // "Latest" is the newest published release that is neither a draft nor a prerelease.
          const latest = this.releases.find((r) => !r.prerelease && !r.draft);
          if (!latest) throw notFound();
          return json(200, this.json(latest, ctx.baseUrl));
        },
      },
      {
        method: 'GET',
        template: RELEASES_PATH,
        auth: 'none',
        handle: (ctx) => {
          const page = paginate(
            ctx,
            this.releases.map((r) => this.json(r, ctx.baseUrl)),
          );
          return json(200, page.items, page.headers);
        },
      },
      {
        method: 'GET',
        template: `${DOWNLOAD_PATH}/{tag}/{asset}`,
        auth: 'none',
        free: true,
        handle: (ctx) => {
          const tag = param(ctx, 'tag');
          const release = this.releases.find((r) => `v${r.version}` === tag);
          const asset = param(ctx, 'asset');
          if (!release || !assetNames(release.version).includes(asset)) throw notFound();
          return {
            status: 200,
            raw: assetBytes(asset),
            headers: { 'content-type': 'application/octet-stream' },
          };
        },
      },
    ];
  }

  private json(release: ReleaseSpec, baseUrl: string): Record<string, unknown> {
    const id = Number(release.version.replace(/\D/g, ''));
    const tag = `v${release.version}`;
    const publishedAt = release.publishedAt ?? '2026-01-01T00:00:00Z';
    const url = `${baseUrl}${RELEASES_PATH}/${id}`;
    const author = simpleUser({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' }, baseUrl);
    return {
      id,
      node_id: `RE_${id}`,
      tag_name: tag,
      target_commitish: 'main',
      name: tag,
      author,
      assets_url: `${url}/assets`,
      upload_url: `${baseUrl}/uploads${RELEASES_PATH}/${id}/assets{?name,label}`,
      tarball_url: `${baseUrl}/repos/actions/runner/tarball/${tag}`,
      zipball_url: `${baseUrl}/repos/actions/runner/zipball/${tag}`,
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      created_at: publishedAt,
      published_at: publishedAt,
      html_url: `${baseUrl}/actions/runner/releases/tag/${tag}`,
      url,
      assets: assetNames(release.version).map((name, index) => ({
        id: id * 100 + index,
        node_id: `RA_${id * 100 + index}`,
        name,
        uploader: author,
        digest: `sha256:${createHash('sha256').update(assetBytes(name)).digest('hex')}`,
        label: '',
        state: 'uploaded',
        content_type: name.endsWith('.zip') ? 'application/zip' : 'application/gzip',
        size: assetBytes(name).length,
        download_count: 0,
        created_at: publishedAt,
        updated_at: publishedAt,
        browser_download_url: `${baseUrl}${DOWNLOAD_PATH}/${tag}/${name}`,
        url: `${baseUrl}${RELEASES_PATH}/assets/${id * 100 + index}`,
      })),
    };
  }
}

function assetNames(version: string): string[] {
  return PLATFORMS.map(([platform, ext]) => `actions-runner-${platform}-${version}.${ext}`);
}
