import { AppPool, GitHubRunnerRegistry, type GitHubClientSettings } from '@hangar/adapter-github';
import type { RunnerRegistry } from '@hangar/core';

/** Imported dynamically by `bindGitHubOnDemand`: the GitHub clients, built when first needed. */
export function createRegistry(settings: GitHubClientSettings): RunnerRegistry {
  return new GitHubRunnerRegistry(new AppPool(settings));
}
