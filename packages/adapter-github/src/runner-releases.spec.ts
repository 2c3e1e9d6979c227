import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DependencyError, type RunnerReleaseAsset } from '@hangar/core';
import { runnerAssetBytes, startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubRunnerReleases, parseRunnerAssets } from './runner-releases';

describe('GitHubRunnerReleases', () => {
  let fake: FakeGitHub;
  let releases: GitHubRunnerReleases;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    releases = new GitHubRunnerReleases({ baseUrl: fake.url });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('lists the latest release assets per os and arch, without prereleases', async () => {
    const assets = await releases.latestAssets({ includePrerelease: false });
    expect(assets.map((a) => [a.os, a.arch, a.version, a.fileName])).toEqual([
      ['linux', 'x64', '2.330.0', 'actions-runner-linux-x64-2.330.0.tar.gz'],
      ['linux', 'arm64', '2.330.0', 'actions-runner-linux-arm64-2.330.0.tar.gz'],
      ['win', 'x64', '2.330.0', 'actions-runner-win-x64-2.330.0.zip'],
      ['win', 'arm64', '2.330.0', 'actions-runner-win-arm64-2.330.0.zip'],
      ['osx', 'x64', '2.330.0', 'actions-runner-osx-x64-2.330.0.tar.gz'],
      ['osx', 'arm64', '2.330.0', 'actions-runner-osx-arm64-2.330.0.tar.gz'],
    ]);
  });

  it('takes the newest release including prereleases when asked, skipping drafts', async () => {
    const assets = await releases.latestAssets({ includePrerelease: true });
    expect(new Set(assets.map((a) => a.version))).toEqual(new Set(['2.331.0']));
    fake.setReleases([
      { version: '2.340.0', draft: true },
      { version: '2.339.0', prerelease: true },
      { version: '2.338.0' },
    ]);
    expect((await releases.latestAssets({ includePrerelease: true }))[0]?.version).toBe('2.339.0');
    expect((await releases.latestAssets({ includePrerelease: false }))[0]?.version).toBe('2.338.0');
  });

  it('parses only runner archives with a known os, arch and version, with their published SHA-256', () => {
    const asset = (name: string) => ({ name, browser_download_url: `https://example.test/${name}` });
    const parsed = parseRunnerAssets({
      tag_name: 'v2.319.1',
      draft: false,
      prerelease: false,
      body: `<!-- BEGIN SHA linux-x64 -->${'a'.repeat(64)}<!-- END SHA linux-x64 -->`,
      assets: [
        asset('actions-runner-linux-x64-2.319.1.tar.gz'),
        asset('actions-runner-win-arm64-2.319.1.zip'),
        asset('actions-runner-linux-arm-2.319.1.tar.gz'),
        asset('actions-runner-linux-x64-2.319.1-noruntime.tar.gz'),
        asset('actions-runner-linux-x64-2.319.1.tar.gz.sha256'),
      ],
    });
    expect(parsed).toEqual([
      {
        os: 'linux',
        arch: 'x64',
        version: '2.319.1',
        fileName: 'actions-runner-linux-x64-2.319.1.tar.gz',
        downloadUrl: 'https://example.test/actions-runner-linux-x64-2.319.1.tar.gz',
        sha256: 'a'.repeat(64),
      },
      {
        os: 'win',
        arch: 'arm64',
        version: '2.319.1',
        fileName: 'actions-runner-win-arm64-2.319.1.zip',
        downloadUrl: 'https://example.test/actions-runner-win-arm64-2.319.1.zip',
        sha256: null,
      },
    ]);
  });

  describe('download', () => {
    let redirector: Server;
    let redirectorUrl: string;
    let stranger: Server;
    let strangerUrl: string;
    let mirror: GitHubRunnerReleases;

    /** A server answering every request with a 302 to `target` + the same path. */
    async function redirectingTo(target: () => string): Promise<[Server, string]> {
      const server = createServer((req, res) => {
        res.writeHead(302, { location: `${target()}${req.url ?? '/'}` });
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
    }

    async function latest(): Promise<RunnerReleaseAsset> {
      const [asset] = await mirror.latestAssets({ includePrerelease: false });
      if (!asset) throw new Error('no asset');
      return asset;
    }

    beforeAll(async () => {
      // GitHub answers a release download with a 302 to its object storage.
      [redirector, redirectorUrl] = await redirectingTo(() => fake.url);
      // A host outside the allowed ones, which itself sends the request back to the fake.
      [stranger, strangerUrl] = await redirectingTo(() => fake.url);
      mirror = new GitHubRunnerReleases({ baseUrl: fake.url, downloadOrigins: [fake.url, redirectorUrl] });
    });

    afterAll(async () => {
      for (const server of [redirector, stranger]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('fetches the bytes of an asset matching its published SHA-256, following redirects between allowed hosts', async () => {
      fake.setReleases([{ version: '2.330.0' }]);
      const asset = await latest();
      expect(asset.sha256).toBe(createHash('sha256').update(runnerAssetBytes(asset.fileName)).digest('hex'));
      const redirected = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, redirectorUrl) };
      expect(Buffer.from(await mirror.download(redirected))).toEqual(runnerAssetBytes(asset.fileName));
    });

    it('takes the SHA-256 from the release notes when the asset carries no digest', async () => {
      fake.setReleases([{ version: '2.330.0', checksums: 'notes' }]);
      const asset = await latest();
      expect(asset.sha256).toBe(createHash('sha256').update(runnerAssetBytes(asset.fileName)).digest('hex'));
      expect(Buffer.from(await mirror.download(asset))).toEqual(runnerAssetBytes(asset.fileName));
    });

    it('refuses bytes that differ from the published SHA-256, as a non-retryable DependencyError', async () => {
      fake.setReleases([{ version: '2.330.0', tampered: ['actions-runner-linux-x64-2.330.0.tar.gz'] }]);
      const failure = mirror.download(await latest());
      await expect(failure).rejects.toBeInstanceOf(DependencyError);
      await expect(failure).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('SHA-256'),
      });
    });

    it('refuses to mirror an asset whose release publishes no SHA-256', async () => {
      fake.setReleases([{ version: '2.330.0', checksums: 'none' }]);
      const asset = await latest();
      expect(asset.sha256).toBeNull();
      await expect(mirror.download(asset)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('no published SHA-256'),
      });
    });

    it('refuses a redirect to a host that is not one of the release hosts', async () => {
      fake.setReleases([{ version: '2.330.0' }]);
      const asset = await latest();
      const viaStranger = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, redirectorUrl) };
      const strangerMirror = new GitHubRunnerReleases({
        baseUrl: fake.url,
        downloadOrigins: [redirectorUrl],
      });
      await expect(strangerMirror.download(viaStranger)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining(`not an allowed release host: ${fake.url}`),
      });
      const direct = { ...asset, downloadUrl: asset.downloadUrl.replace(fake.url, strangerUrl) };
      await expect(mirror.download(direct)).rejects.toMatchObject({
        message: expect.stringContaining(`not an allowed release host: ${strangerUrl}`),
      });
    });

    it("allows only GitHub's release hosts over https by default", async () => {
      fake.setReleases([{ version: '2.330.0' }]);
      const asset = await latest();
      await expect(new GitHubRunnerReleases({ baseUrl: fake.url }).download(asset)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('not an allowed release host'),
      });
    });

    it('reports a missing asset as a non-retryable DependencyError', async () => {
      const failure = mirror.download({
        os: 'linux',
        arch: 'x64',
        version: '9.9.9',
        fileName: 'actions-runner-linux-x64-9.9.9.tar.gz',
        downloadUrl: `${fake.url}/actions/runner/releases/download/v9.9.9/actions-runner-linux-x64-9.9.9.tar.gz`,
        sha256: 'a'.repeat(64),
      });
      await expect(failure).rejects.toBeInstanceOf(DependencyError);
      await expect(failure).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('HTTP 404'),
      });
    });
  });
});
