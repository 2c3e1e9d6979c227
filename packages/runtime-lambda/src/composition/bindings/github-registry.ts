import { GitHubJobRerun, type GitHubClientSettings } from '@hangar/adapter-github';
import type { RunnerRegistry } from '@hangar/core';
import { refusingRegistry } from './github-settings';

/**
 * Imported dynamically by `bindGitHubOnDemand`: the webhook's GitHub client, built when first
 * needed. It only re-runs jobs (the one GitHub call the webhook makes); the registry's other
 * calls are the control plane's and fail here, not retryable, saying so.
 */
export function createRegistry(settings: GitHubClientSettings): RunnerRegistry {
  const rerun = new GitHubJobRerun(settings);
  return {
    ...refusingRegistry('the webhook only re-runs jobs; this call belongs to the control plane'),
    rerunJob: (owner, repo, jobId) => rerun.rerunJob(owner, repo, jobId),
  };
}
