import type { Octokit } from '@octokit/rest';
import type { FakeGitHub } from './handle';

/** The clients the conformance scenario talks through (all aimed at the recording proxy). */
export interface ScenarioClients {
  readonly fake: FakeGitHub;
  /** The App itself (JWT). */
  readonly asApp: Octokit;
  /** An installation on organisation `acme` (repository `acme/web`). */
  readonly asInstallation: Octokit;
  /** An installation on personal account `octocat` (repository `octocat/hello`). */
  readonly asUserInstallation: Octokit;
  readonly anonymous: Octokit;
}

/** Runs a request and keeps going whatever it answers (the proxy records it). */
export async function call(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown> = {},
): Promise<number> {
  try {
    return (await octokit.request(route, params)).status;
  } catch (error) {
    return (error as { status?: number }).status ?? 0;
  }
}

async function driveApp(c: ScenarioClients, installationId: number): Promise<void> {
  await call(c.asApp, 'GET /app');
  await call(c.asApp, 'GET /app/installations');
  await call(c.asApp, 'GET /app/installations/{installation_id}', { installation_id: installationId });
  await call(c.asApp, 'GET /app/installations/{installation_id}', { installation_id: 1 });
  await call(c.asApp, 'POST /app/installations/{installation_id}/access_tokens', { installation_id: 1 });
  await call(c.asApp, 'GET /orgs/{org}/installation', { org: 'acme' });
  await call(c.asApp, 'GET /orgs/{org}/installation', { org: 'octocat' });
  await call(c.asApp, 'GET /users/{username}/installation', { username: 'octocat' });
  await call(c.asApp, 'GET /users/{username}/installation', { username: 'nobody' });
  await call(c.asApp, 'GET /repos/{owner}/{repo}/installation', { owner: 'octocat', repo: 'hello' });
  await call(c.asApp, 'GET /repos/{owner}/{repo}/installation', { owner: 'acme', repo: 'none' });
  await call(c.asInstallation, 'GET /rate_limit');
}

async function driveRunners(c: ScenarioClients): Promise<void> {
  const org = { org: 'acme' };
  const repo = { owner: 'acme', repo: 'web' };
  const jit = { runner_group_id: 1, labels: ['self-hosted', 'linux'] };
  await call(c.asInstallation, 'GET /orgs/{org}/actions/runner-groups', org);
  await call(c.asInstallation, 'POST /orgs/{org}/actions/runners/generate-jitconfig', {
    ...org,
    ...jit,
    name: 'r-1',
  });
  await call(c.asInstallation, 'POST /orgs/{org}/actions/runners/generate-jitconfig', {
    ...org,
    ...jit,
    name: 'r-1',
  });
  await call(c.asInstallation, 'POST /orgs/{org}/actions/runners/generate-jitconfig', {
    ...org,
    ...jit,
    name: 'r-x',
    runner_group_id: 999,
  });
  await call(c.asInstallation, 'POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig', {
    ...repo,
    ...jit,
    name: 'r-2',
  });
  await call(c.asUserInstallation, 'POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig', {
    owner: 'octocat',
    repo: 'hello',
    ...jit,
    name: 'mine',
  });
  await call(c.asUserInstallation, 'GET /orgs/{org}/actions/runners', { org: 'octocat' });
  for (const scope of ['/orgs/{org}', '/repos/{owner}/{repo}']) {
    const where = scope === '/orgs/{org}' ? org : repo;
    await call(c.asInstallation, `POST ${scope}/actions/runners/registration-token`, where);
    await call(c.asInstallation, `POST ${scope}/actions/runners/remove-token`, where);
    await call(c.asInstallation, `GET ${scope}/actions/runners`, { ...where, per_page: 1 });
    const listed = await c.asInstallation.request(`GET ${scope}/actions/runners`, where);
    const id = (listed.data as { runners: { id: number }[] }).runners[0]?.id ?? 0;
    await call(c.asInstallation, `GET ${scope}/actions/runners/{runner_id}`, { ...where, runner_id: id });
    await call(c.asInstallation, `GET ${scope}/actions/runners/{runner_id}`, { ...where, runner_id: 9999 });
    await call(c.asInstallation, `DELETE ${scope}/actions/runners/{runner_id}`, { ...where, runner_id: id });
    await call(c.asInstallation, `DELETE ${scope}/actions/runners/{runner_id}`, {
      ...where,
      runner_id: 9999,
    });
  }
}

async function driveBusyRunnerAndJobs(c: ScenarioClients): Promise<void> {
  const repo = { owner: 'acme', repo: 'web' };
  const { data } = await c.asInstallation.request('POST /orgs/{org}/actions/runners/generate-jitconfig', {
    org: 'acme',
    runner_group_id: 1,
    labels: ['self-hosted', 'linux'],
    name: 'busy',
  });
  c.fake.connectRunner(data.encoded_jit_config);
  const running = c.fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] });
  const queued = c.fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'gpu'] });
  c.fake.tick();
  await call(c.asInstallation, 'DELETE /orgs/{org}/actions/runners/{runner_id}', {
    org: 'acme',
    runner_id: data.runner.id,
  });
  await call(c.asInstallation, 'GET /repos/{owner}/{repo}/actions/jobs/{job_id}', {
    ...repo,
    job_id: running.jobId,
  });
  await call(c.asInstallation, 'GET /repos/{owner}/{repo}/actions/jobs/{job_id}', { ...repo, job_id: 1 });
  await call(c.asInstallation, 'POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun', {
    ...repo,
    job_id: queued.jobId,
  });
  await call(c.asInstallation, 'GET /repos/{owner}/{repo}/actions/runs', { ...repo, status: 'in_progress' });
  await call(c.asInstallation, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
    ...repo,
    run_id: running.runId,
  });
  await call(c.asInstallation, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
    ...repo,
    run_id: running.runId,
  });
  await call(c.asInstallation, 'POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
    ...repo,
    run_id: queued.runId,
  });
  c.fake.completeJob(running.jobId, 'failure');
  await call(c.asInstallation, 'POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun', {
    ...repo,
    job_id: running.jobId,
  });
  await call(c.asInstallation, 'POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
    ...repo,
    run_id: running.runId,
  });
}

async function driveDeliveriesAndReleases(c: ScenarioClients): Promise<void> {
  await c.fake.webhooks.settle();
  const { data } = await c.asApp.request('GET /app/hook/deliveries', { per_page: 2 });
  const id = (data as { id: number }[])[0]?.id ?? 0;
  await call(c.asApp, 'GET /app/hook/deliveries/{delivery_id}', { delivery_id: id });
  await call(c.asApp, 'POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: id });
  await call(c.asApp, 'GET /app/hook/deliveries/{delivery_id}', { delivery_id: 1 });
  await call(c.anonymous, 'GET /repos/{owner}/{repo}/releases/latest', { owner: 'actions', repo: 'runner' });
  await call(c.anonymous, 'GET /repos/{owner}/{repo}/releases', { owner: 'actions', repo: 'runner' });
}

/**
 * Drives every route of the fake over HTTP into its successes and the errors it serves
 * naturally (unknown ids, taken names, busy runners, unfinished jobs, completed runs).
 */
export async function driveEveryRoute(c: ScenarioClients, installationId: number): Promise<void> {
  await driveApp(c, installationId);
  await driveRunners(c);
  await driveBusyRunnerAndJobs(c);
  await driveDeliveriesAndReleases(c);
}
