import { sameName, type FakeGitHubState } from './state';
import type { JobRecord, RunnerRecord } from './types';

/**
 * Whether GitHub would hand `job` to `runner` (ignoring whether the runner is free): every job
 * label is one of the runner's labels, compared case-insensitively (`self-hosted` included);
 * a repository runner serves only its repository; an organisation runner serves the
 * organisation's repositories that its runner group is visible to.
 */
export function canRun(state: FakeGitHubState, job: JobRecord, runner: RunnerRecord): boolean {
  const names = new Set(runner.labels.map((l) => l.name.toLowerCase()));
  if (!job.labels.every((l) => names.has(l.toLowerCase()))) return false;
  if (runner.scope.kind === 'repo') return sameName(runner.scope.repo, job.repo);
  const [owner = '', repoName = ''] = job.repo.split('/');
  if (!sameName(owner, runner.scope.org)) return false;
  const group = state.group(runner.scope.org, runner.groupId);
  return !!group && (group.visibility === 'all' || group.repositories.includes(repoName.toLowerCase()));
}
