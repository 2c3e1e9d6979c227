import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
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

  it('parses only runner archives with a known os, arch and version', () => {
    const asset = (name: string) => ({ name, browser_download_url: `https://example.test/${name}` });
    const parsed = parseRunnerAssets({
      tag_name: 'v2.319.1',
      draft: false,
      prerelease: false,
      body: null,
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
        sha256: null,
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
});
