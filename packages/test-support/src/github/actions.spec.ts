import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { runnerAssetBytes } from './index';
import { installationOctokit } from './spec-helpers';

describe('workflow runs, jobs and runner releases', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    const app = fake.addApp();
    fake.addRepo('acme/web');
    octokit = installationOctokit(fake, app, fake.install(app.appId, 'acme/web'));
  });

  afterAll(async () => {
    await fake.close();
  });

  it('lists queued runs and the jobs of a run', async () => {
    const { runId, jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'a'], name: 'lint' });
    const second = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'b'], name: 'test', runId });
    const queued = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner: 'acme',
      repo: 'web',
      status: 'queued',
    });
    expect(queued.data.workflow_runs.map((r) => r.id)).toContain(runId);
    const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
      owner: 'acme',
      repo: 'web',
      run_id: runId,
      per_page: 1,
    });
    expect(jobs.map((j) => [j.id, j.name, j.status, j.labels])).toEqual([
      [jobId, 'lint', 'queued', ['self-hosted', 'a']],
      [second.jobId, 'test', 'queued', ['self-hosted', 'b']],
    ]);
  });

  it('cancels every unfinished job of a run and refuses to cancel a completed run with 409', async () => {
    const { runId, jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    const cancel = () =>
      octokit.rest.actions.cancelWorkflowRun({ owner: 'acme', repo: 'web', run_id: runId });
    expect((await cancel()).status).toBe(202);
    expect(fake.job(jobId)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    await expect(cancel()).rejects.toMatchObject({ status: 409 });
  });

  it('keeps a job waiting until approved, then queues it', async () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'approval'], waiting: true });
    const get = () =>
      octokit.rest.actions.getJobForWorkflowRun({ owner: 'acme', repo: 'web', job_id: jobId });
    expect((await get()).data.status).toBe('waiting');
    fake.approve(jobId);
    expect((await get()).data.status).toBe('queued');
  });

  it('answers 404 for a job of a repository outside a selected-repositories installation', async () => {
    fake.addRepo('acme/secret');
    const { jobId } = fake.queueJob({ repo: 'acme/secret', labels: ['self-hosted'] });
    await expect(
      octokit.rest.actions.getJobForWorkflowRun({ owner: 'acme', repo: 'secret', job_id: jobId }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('registers repository runners with JIT and serves only that repository', async () => {
    const config = await octokit.rest.actions.generateRunnerJitconfigForRepo({
      owner: 'acme',
      repo: 'web',
      name: 'repo-runner',
      runner_group_id: 1,
      labels: ['self-hosted', 'repo-only'],
    });
    fake.connectRunner(config.data.encoded_jit_config);
    const elsewhere = fake.queueJob({ repo: 'acme/secret', labels: ['self-hosted', 'repo-only'] });
    const here = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'repo-only'] });
    expect(fake.job(elsewhere.jobId).status).toBe('queued');
    expect(fake.job(here.jobId).runnerId).toBe(config.data.runner.id);
  });

  it('serves the latest non-prerelease runner release with downloadable assets', async () => {
    const latest = await octokit.rest.repos.getLatestRelease({ owner: 'actions', repo: 'runner' });
    expect(latest.data.tag_name).toBe('v2.330.0');
    const asset = latest.data.assets.find((a) => a.name === 'actions-runner-linux-arm64-2.330.0.tar.gz');
    expect(asset?.browser_download_url.startsWith(fake.url)).toBe(true);
    const download = await fetch(asset?.browser_download_url ?? '');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(runnerAssetBytes(asset?.name ?? ''));
    const all = await octokit.rest.repos.listReleases({ owner: 'actions', repo: 'runner' });
    expect(all.data.map((r) => [r.tag_name, r.prerelease])).toEqual([
      ['v2.331.0', true],
      ['v2.330.0', false],
      ['v2.329.0', false],
    ]);
    fake.setReleases([{ version: '2.340.1' }]);
    const replaced = await octokit.rest.repos.getLatestRelease({ owner: 'actions', repo: 'runner' });
    expect(replaced.data.assets.map((a) => a.name)).toContain('actions-runner-win-x64-2.340.1.zip');
  });
});
