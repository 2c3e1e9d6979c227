import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { RERUN_DOCUMENTATION_URL } from './rerun-rules';
import { installationOctokit } from './spec-helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('re-running a job', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let installationId: number;
  let nowMs = Date.parse('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    fake = await startFakeGitHub({ now: () => nowMs });
    const app = fake.addApp();
    fake.addRepo('acme/web');
    fake.addRepo('acme/other');
    installationId = fake.install(app.appId, 'acme');
    octokit = installationOctokit(fake, app, installationId);
  });

  afterAll(async () => {
    await fake.close();
  });

  const rerun = (jobId: number, repo = 'web') =>
    octokit.rest.actions.reRunJobForWorkflowRun({ owner: 'acme', repo, job_id: jobId });

  /** GitHub's refusal: 403 with a basic error body naming the endpoint's documentation. */
  const refusal = (message: string) => ({
    status: 403,
    response: { data: { message, documentation_url: RERUN_DOCUMENTATION_URL, status: '403' } },
  });

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

  it('refuses a job that has not completed with 403 "already running"', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    await expect(rerun(jobId)).rejects.toMatchObject(
      refusal('The workflow run containing this job is already running'),
    );
    expect(fake.job(jobId).status).toBe('queued');
  });

  it('refuses a completed job while another job of its run is still running, and accepts it once the run is over', async () => {
    const { jobId, runId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], name: 'a' });
    const other = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], name: 'b', runId });
    fake.completeJob(jobId, 'failure');
    await expect(rerun(jobId)).rejects.toMatchObject(
      refusal('The workflow run containing this job is already running'),
    );
    fake.completeJob(other.jobId);
    expect((await rerun(jobId)).status).toBe(201);
  });

  it('refuses a second re-run while the first one is queued with 403 "already running"', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    fake.completeJob(jobId, 'failure');
    expect((await rerun(jobId)).status).toBe(201);
    await expect(rerun(jobId)).rejects.toMatchObject(
      refusal('The workflow run containing this job is already running'),
    );
  });

  it('refuses a job of a run created over 30 days ago with 403', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    fake.completeJob(jobId, 'failure');
    nowMs += 31 * DAY_MS;
    await expect(rerun(jobId)).rejects.toMatchObject(
      refusal('Unable to retry this workflow run because it was created over a month ago'),
    );
  });

  it('refuses a job of a reusable workflow with 403', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], inReusableWorkflow: true });
    fake.completeJob(jobId, 'failure');
    await expect(rerun(jobId)).rejects.toMatchObject(refusal('This workflow run cannot be retried'));
  });

  it('refuses an installation without the Actions write permission with 403 "Resource not accessible by integration"', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    fake.completeJob(jobId, 'failure');
    fake.setActionsPermission(installationId, 'read');
    try {
      await expect(rerun(jobId)).rejects.toMatchObject(refusal('Resource not accessible by integration'));
    } finally {
      fake.setActionsPermission(installationId, 'write');
    }
    expect((await rerun(jobId)).status).toBe(201);
  });

  it('answers 404 for an unknown job or a job of another repository', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/other', labels: ['self-hosted'] });
    fake.completeJob(jobId);
    await expect(rerun(987654)).rejects.toMatchObject({ status: 404 });
    await expect(rerun(jobId, 'web')).rejects.toMatchObject({ status: 404 });
  });
});
