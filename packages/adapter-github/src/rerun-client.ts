import type { JobId, RerunJobOutcome } from '@hangar/core';
import { AppPool, type GitHubClientSettings } from './auth/app-pool';
import { createRequestOctokit, type RequestOctokit } from './auth/request-client';
import { requestRerun } from './rerun-answers';

/**
 * The webhook's GitHub client: it re-runs a spot-interrupted job when the job's `completed`
 * arrives, and does nothing else. Same App pool (App choice by rate limit left, installation
 * look-ups, token cache, errors as core errors) and same re-run call as the control plane's
 * registry, over `@octokit/core` clients without the REST endpoint table, pagination,
 * throttling or Bottleneck: ~50 KiB rather than ~170 KiB in the webhook's zip, which has a
 * 200 KB budget (docs/runtime.md, "Bundles"). The build fails if those reach the webhook.
 */
export class GitHubJobRerun {
  private readonly pool: AppPool<RequestOctokit>;

  constructor(settings: GitHubClientSettings) {
    this.pool = new AppPool(settings, createRequestOctokit);
  }

  rerunJob(owner: string, repo: string, jobId: JobId): Promise<RerunJobOutcome> {
    return requestRerun(this.pool, owner, repo, jobId);
  }
}
