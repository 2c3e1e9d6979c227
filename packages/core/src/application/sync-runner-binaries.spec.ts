import { describe, expect, it } from '@jest/globals';
import type { RunnerReleaseAsset, RunnerReleaseSource } from '../ports/runner-registry';
import { DependencyError } from '../shared/errors';
import { InMemoryBinaryStore, RecordingLogger, RecordingMetrics } from '../testing/twins';
import { syncRunnerBinaries } from './sync-runner-binaries';

describe('runner binaries syncer, verification', () => {
  it('never mirrors an asset without a published checksum or failing verification, mirrors the others and fails the run naming them', async () => {
    const linux: RunnerReleaseAsset = {
      os: 'linux',
      arch: 'x64',
      version: '2.330.0',
      fileName: 'actions-runner-linux-x64-2.330.0.tar.gz',
      downloadUrl: 'https://example/linux',
      sha256: 'a'.repeat(64),
    };
    const unpublished = { ...linux, arch: 'arm64' as const, fileName: 'arm64.tar.gz', sha256: null };
    const tampered = { ...linux, os: 'win' as const, fileName: 'win.zip' };
    const downloads: string[] = [];
    const releases: RunnerReleaseSource = {
      latestAssets: async () => [unpublished, tampered, linux],
      download: async (asset) => {
        downloads.push(asset.fileName);
        if (asset === tampered)
          throw new DependencyError('github', 'download-runner', 'win.zip: SHA-256 mismatch', false);
        return new Uint8Array([1]);
      },
    };
    const binaries = new InMemoryBinaryStore();
    const metrics = new RecordingMetrics();
    const deps = { releases, binaries, logger: new RecordingLogger(), metrics };
    const run = syncRunnerBinaries(deps, { includePrerelease: false });
    await expect(run).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
      message: expect.stringContaining(
        'actions-runner-linux-arm64.tar.gz (no published SHA-256), actions-runner-win-x64.zip (github download-runner failed: win.zip: SHA-256 mismatch)',
      ),
    });
    expect(downloads).toEqual(['win.zip', linux.fileName]);
    expect(await binaries.head('actions-runner-linux-x64.tar.gz')).toEqual({ version: '2.330.0' });
    expect(await binaries.head('actions-runner-linux-arm64.tar.gz')).toBeNull();
    expect(await binaries.head('actions-runner-win-x64.zip')).toBeNull();
  });

  it('lets a retryable download failure end the run for the next schedule to retry', async () => {
    const asset: RunnerReleaseAsset = {
      os: 'linux',
      arch: 'x64',
      version: '2.330.0',
      fileName: 'a.tar.gz',
      downloadUrl: 'https://example/a',
      sha256: 'a'.repeat(64),
    };
    const failure = new DependencyError('github', 'download-runner', 'HTTP 503', true);
    const releases: RunnerReleaseSource = {
      latestAssets: async () => [asset],
      download: async () => {
        throw failure;
      },
    };
    const deps = {
      releases,
      binaries: new InMemoryBinaryStore(),
      logger: new RecordingLogger(),
      metrics: new RecordingMetrics(),
    };
    await expect(syncRunnerBinaries(deps, { includePrerelease: false })).rejects.toBe(failure);
  });

  it('mirrors the configured platforms it can and fails the run naming one the release does not publish', async () => {
    const linux: RunnerReleaseAsset = {
      os: 'linux',
      arch: 'x64',
      version: '2.330.0',
      fileName: 'actions-runner-linux-x64-2.330.0.tar.gz',
      downloadUrl: 'https://example/linux',
      sha256: 'a'.repeat(64),
    };
    const releases: RunnerReleaseSource = {
      latestAssets: async () => [linux],
      download: async () => new Uint8Array([1]),
    };
    const binaries = new InMemoryBinaryStore();
    const deps = { releases, binaries, logger: new RecordingLogger(), metrics: new RecordingMetrics() };
    const run = syncRunnerBinaries(deps, {
      includePrerelease: false,
      platforms: ['linux-x64', 'linux-arm64'],
    });
    await expect(run).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('linux-arm64 (not published by the latest release)'),
    });
    expect(await binaries.head('actions-runner-linux-x64.tar.gz')).toEqual({ version: '2.330.0' });
  });
});
