import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DependencyError, type RunnerReleaseAsset } from '@hangar/core';
import { runnerAssetBytes, startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
import { GitHubRunnerReleases } from './runner-releases';

/** A loopback server answering every request with a redirect to `target(path)`. */
async function redirector(
  target: (path: string) => string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(302, { location: target(req.url ?? '/') });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('GitHubRunnerReleases.download', () => {
  let fake: FakeGitHub;
  let hop: Awaited<ReturnType<typeof redirector>>;
  let elsewhere: Awaited<ReturnType<typeof redirector>>;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    // GitHub answers a release download with a 302 to its object storage.
    hop = await redirector((path) => `${fake.url}${path}`);
    // A host that is not GitHub's: it would serve whatever it likes.
    elsewhere = await redirector((path) => `${fake.url}${path}`);
  });

  afterAll(async () => {
    await hop.close();
    await elsewhere.close();
    await fake.close();
  });

  beforeEach(() => fake.setReleases([{ version: '2.330.0' }]));

  /** The release source as production builds it for GitHub's hosts, here the loopback stand-ins. */
  const releases = (origins: readonly string[] = [fake.url, hop.url]) =>
    new GitHubRunnerReleases({ baseUrl: fake.url, downloadOrigins: origins });

  async function linuxAsset(source = releases()): Promise<RunnerReleaseAsset> {
    const asset = (await source.latestAssets({ includePrerelease: false })).find(
      (a) => a.os === 'linux' && a.arch === 'x64',
    );
    if (!asset) throw new Error('no linux x64 asset');
    return asset;
  }

  it("reads each asset's published SHA-256 from its digest", async () => {
    const asset = await linuxAsset();
    expect(asset.sha256).toBe(sha256(runnerAssetBytes(asset.fileName)));
  });

  it('reads the SHA-256 from the release notes when the asset has no digest', async () => {
    fake.setReleases([{ version: '2.330.0', checksums: 'body' }]);
    const assets = await releases().latestAssets({ includePrerelease: false });
    expect(assets.map((a) => a.sha256)).toEqual(assets.map((a) => sha256(runnerAssetBytes(a.fileName))));
  });

  it('fetches the bytes of an asset through a redirect between GitHub release hosts', async () => {
    const asset = await linuxAsset();
    const redirected = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, hop.url) };
    expect(Buffer.from(await releases().download(redirected))).toEqual(runnerAssetBytes(asset.fileName));
  });

  it('refuses an asset whose bytes do not match the published SHA-256', async () => {
    fake.setReleases([{ version: '2.330.0', tampered: ['actions-runner-linux-x64-2.330.0.tar.gz'] }]);
    const failure = releases().download(await linuxAsset());
    await expect(failure).rejects.toBeInstanceOf(DependencyError);
    await expect(failure).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('SHA-256 mismatch'),
    });
  });

  it('refuses an asset the release publishes no checksum for', async () => {
    fake.setReleases([{ version: '2.330.0', checksums: 'none' }]);
    const asset = await linuxAsset();
    expect(asset.sha256).toBeNull();
    await expect(releases().download(asset)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('no published SHA-256'),
    });
  });

  it('refuses a redirect to a host that is not a GitHub release host', async () => {
    const asset = await linuxAsset();
    const viaElsewhere = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, hop.url) };
    // The hop now redirects to a host outside the allowed origins.
    const source = releases([hop.url]);
    await expect(source.download(viaElsewhere)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining(`redirect to ${fake.url}`),
    });
    const direct = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, elsewhere.url) };
    await expect(releases().download(direct)).rejects.toMatchObject({
      message: expect.stringContaining(`${elsewhere.url} is not a GitHub release host`),
    });
  });

  it('allows only https GitHub release hosts by default', () => {
    expect(GitHubRunnerReleases.DEFAULT_DOWNLOAD_ORIGINS).toEqual([
      'https://github.com',
      'https://objects.githubusercontent.com',
      'https://release-assets.githubusercontent.com',
    ]);
  });

  it('reports a missing asset as a non-retryable DependencyError', async () => {
    const asset = await linuxAsset();
    const missing = { ...asset, downloadUrl: asset.downloadUrl.replace('2.330.0', '9.9.9') };
    const failure = releases().download(missing);
    await expect(failure).rejects.toBeInstanceOf(DependencyError);
    await expect(failure).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('HTTP 404'),
    });
  });
});
