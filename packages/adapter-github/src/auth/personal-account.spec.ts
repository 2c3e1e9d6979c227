import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@hangar/core';
import { startFakeGitHub, type FakeApp, type FakeGitHub } from '@hangar/test-support/github';
import { GitHubRunnerRegistry } from '../runner-registry';
import { FAST_BOUNDS } from '../spec-support';
import { createGitHubClients } from './app-pool';

/** An App installed on a personal account (user `octocat`), whose repositories have repo-level runners. */
describe('GitHub App on a personal account', () => {
  let fake: FakeGitHub;
  let app: FakeApp;
  const registry = () =>
    new GitHubRunnerRegistry(createGitHubClients({ apps: [app], baseUrl: fake.url, bounds: FAST_BOUNDS }));

  beforeAll(async () => {
    fake = await startFakeGitHub();
    app = fake.addApp();
    fake.addUser('octocat');
    fake.addRepo('octocat/hello');
    fake.install(app.appId, 'octocat');
    fake.addRepo('acme/web');
  });
  afterAll(async () => {
    await fake.close();
  });

  it('registers, lists and deletes repository runners of a user-owned repository', async () => {
    const scope = { level: 'repo', owner: 'octocat', repo: 'hello' } as const;
    const r = registry();
    const jit = await r.createJitConfig({ scope, runnerName: 'mine-1', labels: ['self-hosted', 'linux'] });
    if (jit.outcome !== 'issued') throw new Error(`expected a JIT config, got ${jit.outcome}`);
    expect((await r.listRunners(scope)).map((v) => v.name)).toEqual(['mine-1']);
    expect(await r.deleteRunner(scope, jit.githubRunnerId)).toBe('deleted');
    expect(fake.calls().byRoute['GET /repos/{owner}/{repo}/installation']).toBe(1);
  });

  it('finds the installation of a user account looked up by owner alone, through /users/{username}/installation', async () => {
    const error = await registry()
      .listRunners({ level: 'org', owner: 'octocat' })
      .catch((e: unknown) => e);
    // Found: the lookup succeeded, and GitHub then refuses organisation runners for a user (404).
    expect(error).not.toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ name: 'DependencyError', retryable: false });
    expect(fake.calls().byRoute['GET /orgs/{org}/installation']).toBe(1);
    expect(fake.calls().byRoute['GET /users/{username}/installation']).toBe(1);
  });

  it('still reports an account the App is not installed on as a configuration error', async () => {
    await expect(registry().listRunners({ level: 'org', owner: 'acme' })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });
});
