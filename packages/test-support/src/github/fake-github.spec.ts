import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeApp, FakeGitHub } from './handle';
import { startFakeGitHub } from './fake-github';
import { decodeJitConfig } from './jit-config';
import { installationOctokit } from './spec-helpers';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const SECRET = 'webhook-secret';

describe('fake GitHub driven through real Octokit', () => {
  let fake: FakeGitHub;
  let receiver: WebhookReceiver;
  let app: FakeApp;
  let installationId: number;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    receiver = await startWebhookReceiver(SECRET);
    app = fake.addApp();
    fake.addRepo('acme/web');
    installationId = fake.install(app.appId, 'acme');
    fake.setWebhook(app.appId, { url: receiver.url, secret: SECRET });
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('runs a job from JIT config through queued, in_progress and completed with signed webhooks', async () => {
    const octokit = installationOctokit(fake, app, installationId);
    const jit = await octokit.rest.actions.generateRunnerJitconfigForOrg({
      org: 'acme',
      name: 'runner-1',
      runner_group_id: 1,
      labels: ['self-hosted', 'linux', 'x64'],
    });
    expect(jit.status).toBe(201);
    expect(jit.data.runner).toMatchObject({ name: 'runner-1', status: 'offline', busy: false });
    expect(decodeJitConfig(jit.data.encoded_jit_config).runnerId).toBe(jit.data.runner.id);

    fake.connectRunner(jit.data.encoded_jit_config);
    const listed = await octokit.paginate(octokit.rest.actions.listSelfHostedRunnersForOrg, { org: 'acme' });
    expect(listed).toEqual([
      expect.objectContaining({ id: jit.data.runner.id, status: 'online', busy: false }),
    ]);

    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] });
    const running = await octokit.rest.actions.getJobForWorkflowRun({
      owner: 'acme',
      repo: 'web',
      job_id: jobId,
    });
    expect(running.data).toMatchObject({
      status: 'in_progress',
      runner_id: jit.data.runner.id,
      runner_name: 'runner-1',
    });

    fake.completeJob(jobId, 'success');
    await fake.webhooks.settle();
    const done = await octokit.rest.actions.getJobForWorkflowRun({
      owner: 'acme',
      repo: 'web',
      job_id: jobId,
    });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'success' });

    const actions = receiver.received.map((r) => (r.payload as { action: string }).action);
    expect(actions).toEqual(['queued', 'in_progress', 'completed']);
    expect(receiver.received.every((r) => r.signatureValid && r.event === 'workflow_job')).toBe(true);
    expect(receiver.received[1]?.payload).toMatchObject({
      workflow_job: {
        id: jobId,
        runner_id: jit.data.runner.id,
        runner_name: 'runner-1',
        runner_group_name: 'Default',
      },
      repository: { full_name: 'acme/web', owner: { login: 'acme' } },
      organization: { login: 'acme' },
      installation: { id: installationId },
    });
    // The ephemeral runner deregistered itself after its job.
    const after = await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    expect(after.data.total_count).toBe(0);
    expect(fake.internalErrors()).toEqual([]);
  });
});
