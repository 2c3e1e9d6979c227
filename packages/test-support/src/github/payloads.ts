import { accountOf, organizationJson, repoJson, simpleCommit, simpleUser } from './rest-shapes';
import type { FakeGitHubState } from './state';
import type {
  InstallationRecord,
  WorkflowJobAction,
  JobConclusion,
  JobRecord,
  JobStatus,
  OrgRecord,
  RepoRecord,
  RunRecord,
  RunnerRecord,
} from './types';

/** JSON shapes GitHub uses in REST answers and webhook payloads, built from the records. */

export const INSTALLATION_PERMISSIONS = {
  actions: 'read',
  administration: 'write',
  metadata: 'read',
  organization_self_hosted_runners: 'write',
} as const;

export function runnerJson(runner: RunnerRecord): Record<string, unknown> {
  return {
    id: runner.id,
    name: runner.name,
    os: runner.os,
    status: runner.status,
    busy: runner.busy,
    ephemeral: runner.ephemeral,
    runner_group_id: runner.scope.kind === 'org' ? runner.groupId : undefined,
    labels: runner.labels.map((l) => ({ id: l.id, name: l.name, type: l.type })),
  };
}

export function installationJson(
  installation: InstallationRecord,
  state: FakeGitHubState,
  baseUrl: string,
): Record<string, unknown> {
  const org = state.org(installation.org);
  const app = state.apps.get(installation.appId);
  return {
    id: installation.id,
    account: simpleUser(accountOf(state, installation.org), baseUrl),
    app_id: installation.appId,
    app_slug: app?.slug,
    target_id: org?.id ?? 0,
    target_type: org?.type ?? 'Organization',
    repository_selection: installation.repositories === 'all' ? 'all' : 'selected',
    permissions: INSTALLATION_PERMISSIONS,
    events: ['workflow_job'],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    suspended_at: null,
    suspended_by: null,
    single_file_name: null,
    access_tokens_url: `${baseUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${baseUrl}/installation/repositories`,
    html_url: `${baseUrl}/organizations/${installation.org}/settings/installations/${installation.id}`,
  };
}

/** A job as `GET .../actions/jobs/{id}` and the `workflow_job` webhook show it. */
export function jobJson(job: JobRecord, state: FakeGitHubState, baseUrl: string): Record<string, unknown> {
  const run = state.runs.get(job.runId);
  return {
    id: job.id,
    run_id: job.runId,
    workflow_name: run?.name ?? 'CI',
    head_branch: run?.headBranch ?? 'main',
    head_sha: run?.headSha ?? '',
    run_url: `${baseUrl}/repos/${job.repo}/actions/runs/${job.runId}`,
    run_attempt: job.runAttempt,
    node_id: `CR_${job.id}`,
    url: `${baseUrl}/repos/${job.repo}/actions/jobs/${job.id}`,
    html_url: `${baseUrl}/${job.repo}/actions/runs/${job.runId}/job/${job.id}`,
    check_run_url: `${baseUrl}/repos/${job.repo}/check-runs/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    name: job.name,
    steps: [],
    labels: [...job.labels],
    runner_id: job.runnerId,
    runner_name: job.runnerName,
    runner_group_id: job.runnerGroupId,
    runner_group_name: job.runnerGroupName,
  };
}

/** A run's status follows its jobs: any in progress wins, then queued/waiting, then completed. */
export function runStatus(jobs: readonly JobRecord[]): {
  status: JobStatus;
  conclusion: JobConclusion | null;
} {
  if (jobs.some((j) => j.status === 'in_progress')) return { status: 'in_progress', conclusion: null };
  if (jobs.some((j) => j.status === 'waiting')) return { status: 'waiting', conclusion: null };
  if (jobs.some((j) => j.status === 'queued')) return { status: 'queued', conclusion: null };
  const conclusions = jobs.map((j) => j.conclusion);
  const conclusion = conclusions.includes('failure')
    ? 'failure'
    : conclusions.includes('cancelled')
      ? 'cancelled'
      : 'success';
  return { status: 'completed', conclusion };
}

export function runJson(run: RunRecord, state: FakeGitHubState, baseUrl: string): Record<string, unknown> {
  const jobs = jobsOfRun(state, run.id);
  const repo = state.repo(run.repo);
  const { status, conclusion } = runStatus(jobs);
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: '.github/workflows/ci.yml',
    display_title: run.name,
    run_number: run.id,
    event: 'push',
    status,
    conclusion,
    workflow_id: 1,
    url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}`,
    html_url: `${baseUrl}/${run.repo}/actions/runs/${run.id}`,
    jobs_url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}/jobs`,
    cancel_url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}/cancel`,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_attempt: 1,
    run_started_at: run.createdAt,
    logs_url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}/logs`,
    check_suite_url: `${baseUrl}/repos/${run.repo}/check-suites/${run.id}`,
    artifacts_url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}/artifacts`,
    rerun_url: `${baseUrl}/repos/${run.repo}/actions/runs/${run.id}/rerun`,
    workflow_url: `${baseUrl}/repos/${run.repo}/actions/workflows/1`,
    pull_requests: [],
    head_commit: simpleCommit(run.headSha, run.createdAt),
    repository: repo ? repoJson(repo, state, baseUrl) : null,
    head_repository: repo ? repoJson(repo, state, baseUrl) : null,
  };
}

export function jobsOfRun(state: FakeGitHubState, runId: number): JobRecord[] {
  return [...state.jobs.values()].filter((j) => j.runId === runId);
}

/** The body of a `workflow_job` webhook, as one installation receives it. */
export function workflowJobPayload(
  action: WorkflowJobAction,
  job: JobRecord,
  repo: RepoRecord,
  org: OrgRecord,
  installationId: number,
  state: FakeGitHubState,
  baseUrl: string,
): Record<string, unknown> {
  return {
    action,
    workflow_job: jobJson(job, state, baseUrl),
    repository: repoJson(repo, state, baseUrl),
    // Only organisation-owned repositories' events carry an organization.
    ...(org.type === 'Organization' ? { organization: organizationJson(org, baseUrl) } : {}),
    sender: simpleUser({ login: 'octocat', id: 583231, type: 'User' }, baseUrl),
    installation: { id: installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${installationId}` },
  };
}
