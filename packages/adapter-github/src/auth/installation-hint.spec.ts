import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { JobId } from '@hangar/core';
import { GitHubRunnerRegistry } from '../runner-registry';
import { ORG_INSTALLATION_ROUTE, startWorld, TOKEN_ROUTE, type GitHubWorld } from '../spec-support';

const ORG = { level: 'org', owner: 'acme' } as const;
const REPO_INSTALLATION_ROUTE = 'GET /repos/{owner}/{repo}/installation';
const lookups = (world: GitHubWorld) =>
  world.calls(ORG_INSTALLATION_ROUTE) + world.calls(REPO_INSTALLATION_ROUTE);

/**
 * A `workflow_job` webhook names the installation it came from (`installation.id`); a process
 * handed it (the scale-up function, from the serve-job message) needs no lookup per cold start.
 */
describe('an installation id known from a webhook', () => {
  let world: GitHubWorld;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.fake.close();
  });

  it('is used without looking the installation up: one token, then the calls', async () => {
    const pool = world.pool();
    pool.knowInstallation('ACME', world.installationId);
    const registry = new GitHubRunnerRegistry(pool);
    await registry.listRunners(ORG);
    const { jobId } = world.fake.queueJob({ repo: 'acme/web', labels: ['x'] });
    await registry.getJobStatus('acme', 'web', JobId(String(jobId)));
    expect(lookups(world)).toBe(0);
    expect(world.calls(TOKEN_ROUTE)).toBe(1);
  });

  it('that is stale (the App was reinstalled since) is looked up again once, and the call succeeds', async () => {
    world.fake.uninstall(world.app.appId, 'acme');
    const reinstalled = world.fake.install(world.app.appId, 'acme');
    const pool = world.pool();
    pool.knowInstallation('acme', world.installationId);
    await expect(new GitHubRunnerRegistry(pool).listRunners(ORG)).resolves.toEqual([]);
    expect(lookups(world)).toBe(1);
    expect(world.fake.calls().byCaller[`installation:${reinstalled}`]).toBe(1);
  });

  it('never replaces an installation the process already resolved', async () => {
    const pool = world.pool();
    const registry = new GitHubRunnerRegistry(pool);
    await registry.listRunners(ORG);
    pool.knowInstallation('acme', world.installationId + 1000);
    await registry.listRunners(ORG);
    expect(world.fake.calls().byCaller[`installation:${world.installationId}`]).toBe(2);
  });

  it('is ignored with several Apps: a webhook does not say which App its installation belongs to', async () => {
    const second = world.fake.addApp();
    world.fake.install(second.appId, 'acme');
    const pool = world.pool({ apps: [world.app, second] });
    pool.knowInstallation('acme', world.installationId);
    const registry = new GitHubRunnerRegistry(pool);
    await registry.listRunners(ORG);
    await registry.listRunners(ORG);
    expect(lookups(world)).toBe(2);
  });
});
