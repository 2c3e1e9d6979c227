import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GitHubRunnerRegistry } from './runner-registry';
import { LIST_ORG_RUNNERS_ROUTE, startWorld, type GitHubWorld } from './spec-support';

const ORG = { level: 'org', owner: 'acme' } as const;

/**
 * Scale-down lists a scope's runners every cycle it needs them; between cycles the list often
 * has not changed. Each page is asked for with the ETag it last had: GitHub answers 304 (not
 * counted against the rate limit) and the page read before is used.
 */
describe('GitHubRunnerRegistry.listRunners on an unchanged list', () => {
  let world: GitHubWorld;
  let registry: GitHubRunnerRegistry;
  let seq = 0;
  const register = () =>
    registry.createJitConfig({ scope: ORG, runnerName: `hangar-${++seq}`, labels: ['self-hosted'] });
  const notModified = () => world.fake.calls().notModified?.[LIST_ORG_RUNNERS_ROUTE] ?? 0;

  beforeEach(async () => {
    world = await startWorld();
    registry = new GitHubRunnerRegistry(world.pool());
  });

  afterEach(async () => {
    await world.fake.close();
  });

  it('asks for every page with its ETag and reuses the pages GitHub answers 304; a change is read in full', async () => {
    for (let i = 0; i < 150; i++) await register();
    const first = await registry.listRunners(ORG);
    expect(first).toHaveLength(150);

    world.fake.resetCalls();
    expect(await registry.listRunners(ORG)).toEqual(first);
    expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(2);
    expect(notModified()).toBe(2);

    await register();
    world.fake.resetCalls();
    const changed = await registry.listRunners(ORG);
    expect(changed).toHaveLength(151);
    expect(new Set(changed.map((r) => r.name)).size).toBe(151);
    expect(notModified()).toBeLessThan(2);
  });
});
