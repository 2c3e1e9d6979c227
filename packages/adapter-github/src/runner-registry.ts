import {
  type DeleteRunnerOutcome,
  type IsoTime,
  type JitConfigRequest,
  type JitConfigResult,
  type JobId,
  type JobStatus,
  type JobStatusRead,
  type RegisteredRunnerView,
  type RerunJobOutcome,
  type RunnerRegistry,
  type RunnerScope,
} from '@hangar/core';
import type { AppPool } from './auth/app-pool';
import type { GitHubOctokit } from './auth/octokit-factory';
import { ConditionalPages } from './conditional-pages';
import { responseStatus } from './errors';
import { requestRerun } from './rerun-answers';
import { RunnerGroups } from './runner-groups';

/** GitHub's largest page; listing 500 runners costs 5 calls. */
const PER_PAGE = 100;
const JOB_STATUSES: readonly string[] = ['queued', 'waiting', 'in_progress', 'completed'];

const target = (scope: RunnerScope) =>
  scope.level === 'org' ? { owner: scope.owner } : { owner: scope.owner, repo: scope.repo };

interface RunnerJson {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly busy: boolean;
  readonly labels: readonly { readonly name: string }[];
}

function toView(r: RunnerJson): RegisteredRunnerView {
  return {
    githubRunnerId: r.id,
    name: r.name,
    status: r.status === 'online' ? 'online' : 'offline',
    busy: r.busy,
    labels: r.labels.map((l) => l.name),
  };
}

const runnersOf = (data: unknown): readonly RunnerJson[] => (data as { runners: RunnerJson[] }).runners;

/**
 * `RunnerRegistry` over GitHub's REST API through an App pool. Translates only: outcomes GitHub
 * expresses as statuses (422 busy, 404 unknown) become values; everything else a core error.
 */
export class GitHubRunnerRegistry implements RunnerRegistry {
  private readonly groups: RunnerGroups;
  /** Runner-list pages as last read, asked for again conditionally (a 304 is free). */
  private readonly lists = new ConditionalPages();

  constructor(private readonly pool: AppPool) {
    this.groups = new RunnerGroups();
  }

  async createJitConfig(request: JitConfigRequest): Promise<JitConfigResult> {
    const { scope } = request;
    return this.pool.withInstallation(target(scope), 'generate-jitconfig', async (octokit) => {
      const groupId = await this.groups.idOf(octokit, scope, request.runnerGroup);
      try {
        return { outcome: 'issued', ...(await this.generate(octokit, request, groupId)) };
      } catch (error) {
        // 409: the name is taken. Reported, never replaced: only core knows whether a machine
        // may be using that registration (see core's registration step).
        if (responseStatus(error) === 409) return { outcome: 'name-taken' };
        throw error;
      }
    });
  }

  async createRegistrationToken(
    scope: RunnerScope,
  ): Promise<{ readonly token: string; readonly expiresAt: IsoTime }> {
    return this.pool.withInstallation(target(scope), 'create-registration-token', async (octokit) => {
      const { data } =
        scope.level === 'org'
          ? await octokit.rest.actions.createRegistrationTokenForOrg({ org: scope.owner })
          : await octokit.rest.actions.createRegistrationTokenForRepo({
              owner: scope.owner,
              repo: scope.repo,
            });
      return { token: data.token, expiresAt: new Date(Date.parse(data.expires_at)).toISOString() };
    });
  }

  async listRunners(scope: RunnerScope): Promise<readonly RegisteredRunnerView[]> {
    return this.pool.withInstallation(target(scope), 'list-runners', async (octokit) => {
      const runners =
        scope.level === 'org'
          ? await this.lists.list(
              octokit,
              'GET /orgs/{org}/actions/runners',
              { org: scope.owner, per_page: PER_PAGE },
              runnersOf,
            )
          : await this.lists.list(
              octokit,
              'GET /repos/{owner}/{repo}/actions/runners',
              { owner: scope.owner, repo: scope.repo, per_page: PER_PAGE },
              runnersOf,
            );
      return (runners as RunnerJson[]).map(toView);
    });
  }

  async deleteRunner(scope: RunnerScope, githubRunnerId: number): Promise<DeleteRunnerOutcome> {
    return this.pool.withInstallation(target(scope), 'delete-runner', async (octokit) => {
      try {
        await this.remove(octokit, scope, githubRunnerId);
        return 'deleted';
      } catch (error) {
        // GitHub's 422 "still running a job" is the atomic busy check scale-down relies on.
        const status = responseStatus(error);
        if (status === 422) return 'busy';
        if (status === 404) return 'not-found';
        throw error;
      }
    });
  }

  async getJobStatus(owner: string, repo: string, jobId: JobId): Promise<JobStatusRead | null> {
    return this.pool.withInstallation({ owner, repo }, 'get-job', async (octokit) => {
      try {
        const { data } = await octokit.rest.actions.getJobForWorkflowRun({
          owner,
          repo,
          job_id: Number(jobId),
        });
        // Newer statuses (`pending`, `requested`) mean "not started yet": queued for Hangar.
        const status = (JOB_STATUSES.includes(data.status) ? data.status : 'queued') as JobStatus;
        return {
          status,
          conclusion: data.conclusion ?? null,
          // What a lost in_progress / completed delivery would have said (core records it).
          runnerName: data.runner_name ?? null,
          githubRunnerId: data.runner_id ?? null,
          startedAt: data.started_at ? new Date(data.started_at).toISOString() : null,
          completedAt: data.completed_at ? new Date(data.completed_at).toISOString() : null,
        };
      } catch (error) {
        if (responseStatus(error) === 404) return null;
        throw error;
      }
    });
  }

  async rerunJob(owner: string, repo: string, jobId: JobId): Promise<RerunJobOutcome> {
    return requestRerun(this.pool, owner, repo, jobId);
  }

  private async generate(
    octokit: GitHubOctokit,
    request: JitConfigRequest,
    groupId: number,
  ): Promise<{ githubRunnerId: number; encodedJitConfig: string }> {
    const body = {
      name: request.runnerName,
      runner_group_id: groupId,
      labels: [...request.labels],
      ...(request.workFolder === undefined ? {} : { work_folder: request.workFolder }),
    };
    const { scope } = request;
    const { data } =
      scope.level === 'org'
        ? await octokit.rest.actions.generateRunnerJitconfigForOrg({ org: scope.owner, ...body })
        : await octokit.rest.actions.generateRunnerJitconfigForRepo({
            owner: scope.owner,
            repo: scope.repo,
            ...body,
          });
    return { githubRunnerId: data.runner.id, encodedJitConfig: data.encoded_jit_config };
  }

  private async remove(octokit: GitHubOctokit, scope: RunnerScope, runnerId: number): Promise<void> {
    if (scope.level === 'org') {
      await octokit.rest.actions.deleteSelfHostedRunnerFromOrg({ org: scope.owner, runner_id: runnerId });
    } else {
      await octokit.rest.actions.deleteSelfHostedRunnerFromRepo({
        owner: scope.owner,
        repo: scope.repo,
        runner_id: runnerId,
      });
    }
  }
}
