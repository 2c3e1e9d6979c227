import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { createAppPrivateKey, startFakeGitHub } from './fake-github';
import type { FakeApp, FakeGitHub } from './handle';
import { appOctokit, installationOctokit, silentLog } from './spec-helpers';

describe('App authentication', () => {
  let fake: FakeGitHub;
  let app: FakeApp;
  let installationId: number;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    app = fake.addApp({ slug: 'hangar' });
    fake.addRepo('acme/web');
    fake.addRepo('solo/only');
    fake.addRepo('solo/hidden');
    installationId = fake.install(app.appId, 'acme');
    fake.install(app.appId, 'solo/only');
  });

  afterAll(async () => {
    await fake.close();
  });

  const withToken = (token: string) => new Octokit({ auth: token, baseUrl: fake.url, log: silentLog });

  it('resolves the App and its installations with a JWT', async () => {
    const asApp = appOctokit(fake, app);
    expect((await asApp.rest.apps.getAuthenticated()).data).toMatchObject({ id: app.appId, slug: 'hangar' });
    const org = await asApp.rest.apps.getOrgInstallation({ org: 'ACME' });
    expect(org.data).toMatchObject({
      id: installationId,
      account: { login: 'acme' },
      repository_selection: 'all',
    });
    const repo = await asApp.rest.apps.getRepoInstallation({ owner: 'solo', repo: 'only' });
    expect(repo.data.repository_selection).toBe('selected');
    await expect(
      asApp.rest.apps.getRepoInstallation({ owner: 'solo', repo: 'hidden' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const all = await asApp.paginate(asApp.rest.apps.listInstallations);
    expect(all).toHaveLength(2);
  });

  it('rejects a JWT signed with another key with 401', async () => {
    const impostor = appOctokit(fake, { appId: app.appId, privateKey: createAppPrivateKey() });
    await expect(impostor.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it('issues one-hour installation tokens and rejects unknown ones with 401', async () => {
    const asApp = appOctokit(fake, app);
    const issued = await asApp.rest.apps.createInstallationAccessToken({ installation_id: installationId });
    expect(issued.status).toBe(201);
    const ttl = Date.parse(issued.data.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
    const ok = await withToken(issued.data.token).rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    expect(ok.status).toBe(200);
    await expect(
      withToken('ghs_unknown').rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' }),
    ).rejects.toMatchObject({ status: 401 });
    fake.expireInstallationTokens();
    await expect(
      withToken(issued.data.token).rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('sends rate-limit headers that count down per installation', async () => {
    const octokit = installationOctokit(fake, app, installationId);
    const first = await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    const second = await octokit.rest.actions.listSelfHostedRunnersForOrg({ org: 'acme' });
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
      Number(first.headers['x-ratelimit-remaining']) - 1,
    );
    expect(second.headers['x-ratelimit-resource']).toBe('core');
    const limits = await octokit.rest.rateLimit.get();
    expect(limits.data.resources.core.remaining).toBe(Number(second.headers['x-ratelimit-remaining']));
  });

  it('gives a reinstalled App a new installation id and revokes the old tokens', async () => {
    const asApp = appOctokit(fake, app);
    fake.install(app.appId, 'other');
    const before = (await asApp.rest.apps.getOrgInstallation({ org: 'other' })).data.id;
    const issued = await asApp.rest.apps.createInstallationAccessToken({ installation_id: before });
    fake.uninstall(app.appId, 'other');
    await expect(asApp.rest.apps.getOrgInstallation({ org: 'other' })).rejects.toMatchObject({ status: 404 });
    await expect(
      withToken(issued.data.token).rest.actions.listSelfHostedRunnersForOrg({ org: 'other' }),
    ).rejects.toMatchObject({ status: 401 });
    fake.install(app.appId, 'other');
    const after = (await asApp.rest.apps.getOrgInstallation({ org: 'other' })).data.id;
    expect(after).not.toBe(before);
  });
});
