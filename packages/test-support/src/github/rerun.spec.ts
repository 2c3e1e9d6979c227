import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { installationOctokit } from './spec-helpers';

describe('re-running a job', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    const app = fake.addApp();
    fake.addRepo('acme/web');
    fake.addRepo('acme/other');
    octokit = installationOctokit(fake, app, fake.install(app.appId, 'acme'));
  });

  afterAll(async () => {
    await fake.close();
  });

  const rerun = (jobId: number, repo = 'web') =>
    octokit.rest.actions.reRunJobForWorkflowRun({ owner: 'acme', repo, job_id: jobId });

  it('queues a failed job again as a new job of the same run with the next attempt number', async () => {
    const { jobId, runId } = fake.queueJob({
      repo: 'acme/web',
      labels: ['self-hosted', 'linux'],
      name: 'e2e',
    });
    fake.completeJob(jobId, 'failure');
    expect((await rerun(jobId)).status).toBe(201);
    const attempts = fake.jobs().filter((j) => j.runId === runId);
    expect(attempts.map((j) => [j.runAttempt, j.status, j.name, j.labels])).toEqual([
      [1, 'completed', 'e2e', ['self-hosted', 'linux']],
      [2, 'queued', 'e2e', ['self-hosted', 'linux']],
    ]);
    const second = attempts[1]?.id ?? 0;
    const { data } = await octokit.rest.actions.getJobForWorkflowRun({
      owner: 'acme',
      repo: 'web',
      job_id: second,
    });
    expect(data.run_attempt).toBe(2);
  });

  it('refuses a job that has not completed with 409', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    await expect(rerun(jobId)).rejects.toMatchObject({ status: 409 });
    expect(fake.job(jobId).status).toBe('queued');
  });

  it('answers 404 for an unknown job or a job of another repository', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/other', labels: ['self-hosted'] });
    fake.completeJob(jobId);
    await expect(rerun(987654)).rejects.toMatchObject({ status: 404 });
    await expect(rerun(jobId, 'web')).rejects.toMatchObject({ status: 404 });
  });
});
