import type { RunnerRegistry } from '@hangar/core';
import type { Container } from 'inversify';
import { TOKENS } from '../tokens';
import { appPoolSettings, registryWithoutApp } from './github-settings';

/**
 * The webhook's GitHub registry, loaded on first use. The webhook needs GitHub only to re-run
 * a spot-interrupted job when its `completed` fact arrives — rare — so its client (`@octokit/core`
 * and App auth, github-registry.ts) is evaluated then, not at every cold start
 * (docs/benchmarks.md); the registry's other calls fail there, not retryable.
 */
export function bindGitHubOnDemand(container: Container): void {
  container
    .bind(TOKENS.registry)
    .toDynamicValue((ctx) => {
      const config = ctx.get(TOKENS.configuration);
      if (config.githubApps.length === 0) return registryWithoutApp();
      const settings = appPoolSettings(config, ctx.get(TOKENS.overrides), ctx.get(TOKENS.clock));
      let loaded: Promise<RunnerRegistry> | undefined;
      const registry = (): Promise<RunnerRegistry> =>
        (loaded ??= import('./github-registry').then((m) => m.createRegistry(settings)));
      return {
        createJitConfig: async (request) => (await registry()).createJitConfig(request),
        createRegistrationToken: async (scope) => (await registry()).createRegistrationToken(scope),
        listRunners: async (scope) => (await registry()).listRunners(scope),
        deleteRunner: async (scope, id) => (await registry()).deleteRunner(scope, id),
        getJobStatus: async (owner, repo, jobId) => (await registry()).getJobStatus(owner, repo, jobId),
        rerunJob: async (owner, repo, jobId) => (await registry()).rerunJob(owner, repo, jobId),
      };
    })
    .inSingletonScope();
}
