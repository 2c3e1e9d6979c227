import { describe, expect, it } from '@jest/globals';
import { JobId } from '@hangar/core';
import { startFakeGitHub } from '@hangar/test-support/github';
import { configure } from '../config/load';
import { fullEnvironment, MemoryParameters, PARAMETERS, POOLS } from '../spec-fixtures';
import { bindGitHubOnDemand } from './bindings/github-on-demand';
import { createContainerWith, resolveHandlerRoot } from './index';

describe("the webhook's on-demand GitHub registry", () => {
  it('builds the GitHub clients at the first call and answers through the configured App', async () => {
    const fake = await startFakeGitHub();
    try {
      const app = fake.addApp();
      fake.addRepo('acme/app');
      fake.install(app.appId, 'acme');
      const { jobId } = fake.queueJob({
        repo: 'acme/app',
        labels: ['self-hosted', 'linux', 'x64'],
        durationMs: 1000,
      });
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
      const status = await root.deps.registry.getJobStatus('acme', 'app', JobId(jobId));
      expect(status).toMatchObject({ status: 'queued', conclusion: null });
      expect(await root.deps.registry.getJobStatus('acme', 'app', JobId(999_999))).toBeNull();
    } finally {
      await fake.close();
    }
  });
});
