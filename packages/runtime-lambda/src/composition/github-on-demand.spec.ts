import { describe, expect, it } from '@jest/globals';
import { JobId } from '@hangar/core';
import { startFakeGitHub } from '@hangar/test-support/github';
import { configure } from '../config/load';
import { fullEnvironment, MemoryParameters, PARAMETERS, POOLS } from '../spec-fixtures';
import { bindGitHubOnDemand } from './bindings/github-on-demand';
import { createContainerWith, resolveHandlerRoot } from './index';

describe("the webhook's on-demand GitHub registry", () => {
  it('builds its GitHub client at the first re-run, re-runs through the configured App, and refuses the control plane’s calls', async () => {
    const fake = await startFakeGitHub();
    try {
      const app = fake.addApp();
      fake.addRepo('acme/app');
      fake.install(app.appId, 'acme');
      const { jobId, runId } = fake.queueJob({
        repo: 'acme/app',
        labels: ['self-hosted', 'linux', 'x64'],
        durationMs: 1000,
      });
      fake.completeJob(jobId, 'failure');
      const parameters = new MemoryParameters({
        [PARAMETERS.pools]: JSON.stringify(POOLS),
        [PARAMETERS.apps]: JSON.stringify([{ appId: app.appId, privateKey: app.privateKey }]),
        [PARAMETERS.webhookSecret]: 'secret',
      });
      const config = await configure(fullEnvironment(), 'webhook', parameters);
      const root = resolveHandlerRoot(
        createContainerWith(config, { githubBaseUrl: fake.url }, [bindGitHubOnDemand]),
        'webhook',
      );
      expect(fake.calls().total).toBe(0);
      expect(await root.deps.registry.rerunJob('acme', 'app', JobId(jobId))).toEqual({ kind: 'requested' });
      expect(
        fake
          .jobs()
          .filter((j) => j.runId === runId)
          .map((j) => j.runAttempt),
      ).toEqual([1, 2]);
      const calls = fake.calls().total;
      await expect(root.deps.registry.getJobStatus('acme', 'app', JobId(jobId))).rejects.toMatchObject({
        name: 'DependencyError',
        retryable: false,
        message: expect.stringContaining('the webhook only re-runs jobs'),
      });
      expect(fake.calls().total).toBe(calls);
    } finally {
      await fake.close();
    }
  });
});
