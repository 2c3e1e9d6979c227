import type { RunnerScope } from '@hangar/core';
import type { GitHubOctokit } from './auth/octokit-factory';
import { misconfigured } from './errors';

/** Every organisation's default runner group has id 1; repository runners always use it. */
const DEFAULT_GROUP_ID = 1;

/**
 * Runner group ids by name, per organisation, fetched once (`GET /orgs/{org}/actions/runner-groups`)
 * and refetched only when a name is not found (a group created since).
 */
export class RunnerGroups {
  private readonly byOrg = new Map<string, Map<string, number>>();

  async idOf(octokit: GitHubOctokit, scope: RunnerScope, name: string | undefined): Promise<number> {
    if (scope.level === 'repo' || name === undefined) return DEFAULT_GROUP_ID;
    const org = scope.owner.toLowerCase();
    const cached = this.byOrg.get(org)?.get(name.toLowerCase());
    if (cached !== undefined) return cached;
    // paginate() unwraps `{ total_count, runner_groups: [...] }` into the groups themselves.
    const groups = (await octokit.paginate('GET /orgs/{org}/actions/runner-groups', {
      org: scope.owner,
      per_page: 100,
    })) as unknown as readonly { readonly id: number; readonly name: string }[];
    const names = new Map(groups.map((g) => [g.name.toLowerCase(), g.id]));
    this.byOrg.set(org, names);
    const id = names.get(name.toLowerCase());
    if (id === undefined) {
      throw misconfigured(`runner group "${name}" does not exist in organisation ${scope.owner}`);
    }
    return id;
  }
}
