import { HttpError, json, notFound, numericParam, paginate, type Route } from './http-kit';
import { jobJson, jobsOfRun, runJson, runStatus } from './payloads';
import { checkRerun } from './rerun-rules';
import { repoAccess, type RouteDeps } from './route-deps';
import { sameName } from './state';
import type { RunRecord } from './types';

/** Workflow runs and jobs of a repository. */
export function actionsRoutes(deps: RouteDeps): Route[] {
  const { state, sim } = deps;
  const runIn = (repo: string, runId: number): RunRecord => {
    const run = state.runs.get(runId);
    if (!run || !sameName(run.repo, repo)) throw notFound();
    return run;
  };
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/jobs/{job_id}',
      auth: 'installation',
      handle: (ctx) => {
        const repo = repoAccess(ctx, state);
        const job = state.jobs.get(numericParam(ctx, 'job_id'));
        if (!job || !sameName(job.repo, repo.fullName)) throw notFound();
        return json(200, jobJson(job, state, ctx.baseUrl));
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun',
      auth: 'installation',
      handle: (ctx) => {
        const repo = repoAccess(ctx, state);
        const job = state.jobs.get(numericParam(ctx, 'job_id'));
        if (!job || !sameName(job.repo, repo.fullName)) throw notFound();
        if (ctx.caller.kind === 'installation')
          checkRerun(state, job, ctx.caller.installation, state.nowMs());
        sim.rerunJob(job.id);
        return json(201, {});
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs',
      auth: 'installation',
      handle: (ctx) => {
        const repo = repoAccess(ctx, state);
        const wanted = ctx.query.get('status');
        // Newest first, as GitHub lists runs. `status` also accepts a conclusion.
        const runs = [...state.runs.values()]
          .filter((r) => sameName(r.repo, repo.fullName))
          .filter((r) => {
            if (wanted === null) return true;
            const { status, conclusion } = runStatus(jobsOfRun(state, r.id));
            return status === wanted || conclusion === wanted;
          })
          .reverse()
          .map((r) => runJson(r, state, ctx.baseUrl));
        const page = paginate(ctx, runs);
        return json(200, { total_count: runs.length, workflow_runs: page.items }, page.headers);
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs/{run_id}',
      auth: 'installation',
      handle: (ctx) => {
        const run = runIn(repoAccess(ctx, state).fullName, numericParam(ctx, 'run_id'));
        return json(200, runJson(run, state, ctx.baseUrl));
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
      auth: 'installation',
      handle: (ctx) => {
        const run = runIn(repoAccess(ctx, state).fullName, numericParam(ctx, 'run_id'));
        const jobs = jobsOfRun(state, run.id).map((j) => jobJson(j, state, ctx.baseUrl));
        const page = paginate(ctx, jobs);
        return json(200, { total_count: jobs.length, jobs: page.items }, page.headers);
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
      auth: 'installation',
      handle: (ctx) => {
        const run = runIn(repoAccess(ctx, state).fullName, numericParam(ctx, 'run_id'));
        if (runStatus(jobsOfRun(state, run.id)).status === 'completed') {
          throw new HttpError(409, 'Cannot cancel a workflow run that is completed.');
        }
        sim.cancelRun(run.id);
        return json(202, {});
      },
    },
  ];
}
