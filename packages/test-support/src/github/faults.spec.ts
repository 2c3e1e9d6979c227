import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createAppAuth } from '@octokit/auth-app';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeApp, FakeGitHub } from './handle';
import { installationOctokit, silentLog } from './spec-helpers';

const Throttled = Octokit.plugin(throttling);

describe('fault injection and call counting', () => {
  let fake: FakeGitHub;
  let app: FakeApp;
  let installationId: number;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    app = fake.addApp();
    fake.addRepo('acme/web');
    installationId = fake.install(app.appId, 'acme');
  });

  beforeEach(() => {
    fake.faults.clear();
  });

  afterAll(async () => {
    await fake.close();
  });

  const throttled = (events: string[], retry: boolean) =>
    new Throttled({
      authStrategy: createAppAuth,
      auth: { appId: app.appId, privateKey: app.privateKey, installationId },
      baseUrl: fake.url,
      log: silentLog,
      throttle: {
        onSecondaryRateLimit: (retryAfter: number) => {
          events.push(`secondary:${retryAfter}`);
          return retry;
        },
        onRateLimit: (retryAfter: number) => {
          events.push(`primary:${retryAfter > 0}`);
          return retry;
        },
      },
    });

  it('makes a secondary rate limit that Octokit throttling recognises and retries', async () => {
    fake.faults.add({
      path: '/orgs/{org}/actions/runners',
      secondaryRateLimit: true,
      retryAfterSeconds: 1,
      times: 1,
    });
    const events: string[] = [];
    const response = await throttled(events, true).rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    expect(events).toEqual(['secondary:1']);
    expect(response.status).toBe(200);
  });

  it('answers 403 with x-ratelimit-remaining 0 once the primary limit is spent', async () => {
    fake.setRateLimit(installationId, 0, Date.now() + 30_000);
    const events: string[] = [];
    await expect(
      throttled(events, false).rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' }),
    ).rejects.toMatchObject({
      status: 403,
      response: { headers: { 'x-ratelimit-remaining': '0' } },
    });
    expect(events).toEqual(['primary:true']);
    fake.setRateLimit(installationId, 100);
  });

  it('fails the matching request the given number of times, then answers normally', async () => {
    const octokit = installationOctokit(fake, app, installationId);
    fake.faults.add({ method: 'GET', path: /\/actions\/runners$/, status: 502, times: 1 });
    await expect(octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' })).rejects.toMatchObject({
      status: 502,
    });
    expect((await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' })).status).toBe(200);
  });

  it('adds latency without changing the answer', async () => {
    const octokit = installationOctokit(fake, app, installationId);
    await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    fake.faults.add({ path: '/orgs/acme/actions/runners', latencyMs: 150, times: 1 });
    const started = Date.now();
    expect((await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('counts calls per route template and per caller', async () => {
    const octokit = installationOctokit(fake, app, installationId);
    await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    fake.resetCalls();
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    await octokit.rest.actions.getJobForWorkflowRun({ owner: 'acme', repo: 'web', job_id: jobId });
    await octokit.rest.actions.getJobForWorkflowRun({ owner: 'acme', repo: 'web', job_id: jobId });
    await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    expect(fake.calls()).toEqual({
      total: 3,
      byRoute: {
        'GET /repos/{owner}/{repo}/actions/jobs/{job_id}': 2,
        'GET /orgs/{org}/actions/runners': 1,
      },
      byCaller: { [`installation:${installationId}`]: 3 },
    });
  });
});
