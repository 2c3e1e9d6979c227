import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { syncRunnerBinaries, type RunnerPlatform } from '@hangar/core';
import { InMemoryBinaryStore, RecordingLogger, RecordingMetrics } from '@hangar/core/testing';
import { startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
import { GitHubRunnerReleases } from './runner-releases';

const DOWNLOAD_ROUTE = 'GET /actions/runner/releases/download/{tag}/{asset}';
const LATEST_ROUTE = 'GET /repos/actions/runner/releases/latest';

/**
 * The mirror copies only what the deployment's runners boot from: a deployment whose pools are
 * all Linux x64 has no use for the Windows, macOS or arm64 builds, so downloading them costs
 * GitHub requests and S3 storage for nothing. A binary S3 already holds at the release's
 * version is not downloaded again.
 */
describe('runner binaries syncer against GitHub over HTTP', () => {
  let fake: FakeGitHub;
  let binaries: InMemoryBinaryStore;

  beforeAll(async () => {
    fake = await startFakeGitHub();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.setReleases([{ version: '2.330.0' }]);
    fake.resetCalls();
    binaries = new InMemoryBinaryStore();
  });

  const sync = (platforms?: readonly RunnerPlatform[]) =>
    syncRunnerBinaries(
      {
        releases: new GitHubRunnerReleases({ baseUrl: fake.url, downloadOrigins: [fake.url] }),
        binaries,
        logger: new RecordingLogger(),
        metrics: new RecordingMetrics(),
      },
      { includePrerelease: false, ...(platforms === undefined ? {} : { platforms }) },
    );

  it('downloads only the platforms the pools boot from, and nothing S3 already holds at that version', async () => {
    const first = await sync(['linux-x64']);
    expect(first).toEqual({ copied: ['actions-runner-linux-x64.tar.gz'], unchanged: [] });
    expect(fake.calls().byRoute[DOWNLOAD_ROUTE]).toBe(1);
    expect(await binaries.head('actions-runner-win-x64.zip')).toBeNull();

    fake.resetCalls();
    const second = await sync(['linux-x64']);
    expect(second).toEqual({ copied: [], unchanged: ['actions-runner-linux-x64.tar.gz'] });
    expect(fake.calls().byRoute).toEqual({ [LATEST_ROUTE]: 1 });
  });

  it('mirrors every platform the release publishes when no platform is configured', async () => {
    const report = await sync();
    expect(report.copied.length).toBe(fake.calls().byRoute[DOWNLOAD_ROUTE]);
    expect(report.copied).toEqual(
      expect.arrayContaining(['actions-runner-linux-x64.tar.gz', 'actions-runner-win-x64.zip']),
    );
  });
});
