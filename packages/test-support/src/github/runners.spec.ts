import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { installationOctokit } from './spec-helpers';

const LINUX = ['self-hosted', 'linux', 'x64'];

describe('runner administration', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    const app = fake.addApp();
    fake.addRepo('acme/web');
    fake.addRepo('acme/api');
    octokit = installationOctokit(fake, app, fake.install(app.appId, 'acme'));
  });

  afterAll(async () => {
    await fake.close();
  });

  const jit = async (name: string, labels = LINUX, runnerGroupId = 1) =>
    (
      await octokit.rest.actions.generateRunnerJitconfigForOrg({
        org: 'acme',
        name,
        runner_group_id: runnerGroupId,
        labels,
      })
    ).data;

  it('paginates runners with Link headers that Octokit follows', async () => {
    for (let i = 0; i < 5; i++) await jit(`page-${i}`);
    const first = await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme', per_page: 2 });
    expect(first.data.total_count).toBe(5);
    expect(first.data.runners).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.actions.listSelfHostedRunnersForOrg, {
      org: 'acme',
      per_page: 2,
    });
    expect(all.map((r) => r.name)).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    for (const r of all)
      await octokit.rest.actions.deleteSelfHostedRunnerFromOrg({ org: 'acme', runner_id: r.id });
  });

  it('answers 409 when a runner with the same name exists', async () => {
    await jit('twin');
    await expect(jit('twin')).rejects.toMatchObject({ status: 409 });
  });

  it('answers 422 for empty labels or an unknown runner group', async () => {
    await expect(jit('no-labels', [])).rejects.toMatchObject({ status: 422 });
    await expect(jit('bad-group', LINUX, 999)).rejects.toMatchObject({ status: 422 });
  });

  it('refuses to delete a busy runner with 422 and deletes it once idle', async () => {
    const config = await jit('busy-1', [...LINUX, 'busy-test']);
    fake.connectRunner(config.encoded_jit_config);
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'busy-test'] });
    const del = () =>
      octokit.rest.actions.deleteSelfHostedRunnerFromOrg({ org: 'acme', runner_id: config.runner.id });
    await expect(del()).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Bad request - Runner "busy-1" is still running a job'),
    });
    fake.disconnectRunner(config.runner.id);
    expect(fake.job(jobId)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((await del()).status).toBe(204);
    await expect(del()).rejects.toMatchObject({ status: 404 });
  });

  it('lets a JIT runner take an older job than the one it was created for', async () => {
    const older = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'steal'] });
    const newer = fake.queueJob({ repo: 'acme/api', labels: ['self-hosted', 'steal'] });
    const config = await jit('for-newer', [...LINUX, 'steal']);
    fake.connectRunner(config.encoded_jit_config);
    expect(fake.job(older.jobId).runnerId).toBe(config.runner.id);
    expect(fake.job(newer.jobId).status).toBe('queued');
  });

  it('registers a persistent runner with a registration token and default labels', async () => {
    const token = await octokit.rest.actions.createRegistrationTokenForRepo({ owner: 'acme', repo: 'web' });
    expect(token.status).toBe(201);
    const runner = fake.connectRunnerWithToken(token.data.token, { name: 'persistent', labels: ['big'] });
    expect(runner.labels.map((l) => l.name)).toEqual(['self-hosted', 'Linux', 'X64', 'big']);
    const a = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'big'] });
    const b = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'BIG'] });
    fake.completeJob(a.jobId);
    expect(fake.job(b.jobId).runnerId).toBe(runner.id);
    const listed = await octokit.rest.actions.listSelfHostedRunnersForRepo({ owner: 'acme', repo: 'web' });
    expect(listed.data.runners).toEqual([expect.objectContaining({ name: 'persistent', busy: true })]);
  });

  it('lists the Default runner group and groups added by the test', async () => {
    const id = fake.addRunnerGroup('acme', { name: 'gpu' });
    // Octokit 22 has no method for this route any more; production code calls it by route.
    const groups = await octokit.request('GET /orgs/{org}/actions/runner-groups', { org: 'acme' });
    const data = groups.data as { runner_groups: Array<{ id: number; name: string; default: boolean }> };
    expect(data.runner_groups.map((g) => [g.id, g.name, g.default])).toEqual([
      [1, 'Default', true],
      [id, 'gpu', false],
    ]);
  });

  it('answers 403 for an organisation outside the installation and 404 for an unknown one', async () => {
    fake.addOrg('other');
    await expect(octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'other' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'nope' })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('runner timing', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let now = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    fake = await startFakeGitHub({ now: () => now, assignment: 'manual', runnerBusyLagMs: 30_000 });
    const app = fake.addApp();
    fake.addRepo('acme/web');
    octokit = installationOctokit(fake, app, fake.install(app.appId, 'acme'));
  });

  afterAll(async () => {
    await fake.close();
  });

  it('assigns only on tick in manual mode and completes jobs when their duration has elapsed', async () => {
    const config = await octokit.rest.actions.generateRunnerJitconfigForOrg({
      org: 'acme',
      name: 'timed',
      runner_group_id: 1,
      labels: ['self-hosted'],
    });
    fake.connectRunner(config.data.encoded_jit_config);
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], durationMs: 60_000 });
    expect(fake.job(jobId).status).toBe('queued');
    expect(fake.tick().assigned).toEqual([{ jobId, runnerId: config.data.runner.id }]);
    now += 59_000;
    expect(fake.tick().completed).toEqual([]);
    now += 1_000;
    expect(fake.tick().completed).toEqual([jobId]);
    expect(fake.runner(config.data.runner.id)).toBeUndefined();
  });

  it('reports a just-assigned runner as idle during the busy lag, so deleting it kills the job', async () => {
    const config = await octokit.rest.actions.generateRunnerJitconfigForOrg({
      org: 'acme',
      name: 'lagging',
      runner_group_id: 1,
      labels: ['self-hosted'],
    });
    fake.connectRunner(config.data.encoded_jit_config);
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    fake.tick();
    const seen = await octokit.rest.actions.getSelfHostedRunnerForOrg({
      org: 'acme',
      runner_id: config.data.runner.id,
    });
    expect(seen.data.busy).toBe(false);
    await octokit.rest.actions.deleteSelfHostedRunnerFromOrg({
      org: 'acme',
      runner_id: config.data.runner.id,
    });
    expect(fake.job(jobId)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('cancels jobs that stay queued for 24 hours', () => {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'nobody-has-this'] });
    now += 24 * 60 * 60 * 1000;
    expect(fake.tick().cancelled).toEqual([jobId]);
    expect(fake.job(jobId).conclusion).toBe('cancelled');
  });
});
