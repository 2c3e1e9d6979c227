import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { workflowJobPayloadProblems } from '../github-openapi';
import { startFakeGitHub, startWebhookReceiver, type FakeGitHub, type WebhookReceiver } from './index';
import { installationOctokit } from './spec-helpers';

/**
 * The fake's `workflow_job` deliveries against @octokit/webhooks-schemas (GitHub's payloads as
 * the Octokit project describes them): every action, an organisation's and a personal
 * account's repository, a job that ran and one that was cancelled while queued.
 */
describe('the fake GitHub\u2019s workflow_job webhooks against @octokit/webhooks-schemas', () => {
  let fake: FakeGitHub;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    fake = await startFakeGitHub({ assignment: 'manual' });
    receiver = await startWebhookReceiver('schemas');
    const app = fake.addApp();
    fake.setWebhook(app.appId, { url: receiver.url, secret: 'schemas' });
    fake.addRepo('acme/web');
    const installationId = fake.install(app.appId, 'acme');
    fake.addUser('octocat');
    fake.addRepo('octocat/hello');
    fake.install(app.appId, 'octocat');
    const { data } = await installationOctokit(fake, app, installationId).request(
      'POST /orgs/{org}/actions/runners/registration-token',
      { org: 'acme' },
    );
    fake.connectRunnerWithToken(data.token, { name: 'r-1', labels: ['linux'] });
    const ran = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'], waiting: true });
    fake.approve(ran.jobId);
    fake.tick();
    fake.completeJob(ran.jobId, 'success');
    const cancelled = fake.queueJob({ repo: 'octocat/hello', labels: ['self-hosted', 'gpu'] });
    fake.cancelJob(cancelled.jobId);
    await fake.webhooks.settle();
  });
  afterAll(async () => {
    await receiver.close();
    await fake.close();
  });

  it('sends every action, from an organisation and a personal account', () => {
    const payloads = receiver.received.map(
      (r) => r.payload as { action: string; repository: { owner: { type: string } } },
    );
    expect(new Set(payloads.map((p) => p.action))).toEqual(
      new Set(['waiting', 'queued', 'in_progress', 'completed']),
    );
    expect(new Set(payloads.map((p) => p.repository.owner.type))).toEqual(new Set(['Organization', 'User']));
  });

  it('sends payloads that match the schema of their action', () => {
    expect(receiver.received.flatMap((r) => workflowJobPayloadProblems(r.payload))).toEqual([]);
  });
});
