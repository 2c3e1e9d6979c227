import { HttpError, json, notFound, numericParam, objectBody, paginate, type Route } from './http-kit';
import { orgAccess, scopeAccess, type RouteDeps } from './route-deps';
import type { RunnerScope } from './types';

const SCOPES = ['/orgs/{org}', '/repos/{owner}/{repo}'] as const;

const invalid = (detail: string): HttpError => new HttpError(422, `Invalid request.\n\n${detail}`);

/** Self-hosted runner administration: runner groups, JIT configs, tokens, list/get/delete. */
export function runnerRoutes(deps: RouteDeps): Route[] {
  const { state, runners, sim } = deps;
  const runnerIn = (scope: RunnerScope, id: number) => {
    const runner = runners.inScope(scope).find((r) => r.id === id);
    if (!runner) throw notFound();
    return runner;
  };
  const routes: Route[] = [
    {
      method: 'GET',
      template: '/orgs/{org}/actions/runner-groups',
      auth: 'installation',
      handle: (ctx) => {
        const org = orgAccess(ctx, state);
        const groups = state.groupsOf(org).map((g) => ({
          id: g.id,
          name: g.name,
          visibility: g.visibility,
          default: g.isDefault,
          inherited: false,
          allows_public_repositories: false,
          restricted_to_workflows: false,
          selected_workflows: [],
          workflow_restrictions_read_only: false,
          runners_url: `${ctx.baseUrl}/orgs/${org}/actions/runner-groups/${g.id}/runners`,
        }));
        const page = paginate(ctx, groups);
        return json(200, { total_count: groups.length, runner_groups: page.items }, page.headers);
      },
    },
  ];
  for (const prefix of SCOPES) {
    routes.push(
      {
        method: 'POST',
        template: `${prefix}/actions/runners/generate-jitconfig`,
        auth: 'installation',
        handle: (ctx) => {
          const scope = scopeAccess(ctx, state);
          const body = objectBody(ctx);
          const { name, runner_group_id: groupId, labels, work_folder: workFolder } = body;
          if (typeof name !== 'string' || name.trim() === '') throw invalid('"name" wasn\'t supplied.');
          if (!Number.isSafeInteger(groupId)) throw invalid('"runner_group_id" wasn\'t supplied.');
          if (scope.kind === 'org' && !state.group(scope.org, groupId as number)) {
            throw invalid(`Runner group ${String(groupId)} does not exist.`);
          }
          if (!Array.isArray(labels) || labels.length === 0 || labels.length > 100) {
            throw invalid('"labels" must have between 1 and 100 items.');
          }
          if (!labels.every((l): l is string => typeof l === 'string' && l.trim() !== '')) {
            throw invalid('"labels" must be non-empty strings.');
          }
          if (workFolder !== undefined && typeof workFolder !== 'string') {
            throw invalid('"work_folder" must be a string.');
          }
          const runner = runners.register(scope, {
            name,
            labels,
            groupId: scope.kind === 'org' ? (groupId as number) : 1,
            ephemeral: true,
            jit: true,
            workFolder,
          });
          return json(201, {
            runner: runners.view(runner),
            encoded_jit_config: runners.jitConfig(runner, ctx.baseUrl),
          });
        },
      },
      {
        method: 'POST',
        template: `${prefix}/actions/runners/registration-token`,
        auth: 'installation',
        handle: (ctx) => {
          const issued = runners.issueRegistrationToken(scopeAccess(ctx, state));
          return json(201, { token: issued.token, expires_at: issued.expiresAt });
        },
      },
      {
        method: 'POST',
        template: `${prefix}/actions/runners/remove-token`,
        auth: 'installation',
        handle: (ctx) => {
          const issued = runners.issueRegistrationToken(scopeAccess(ctx, state));
          return json(201, { token: issued.token, expires_at: issued.expiresAt });
        },
      },
      {
        method: 'GET',
        template: `${prefix}/actions/runners`,
        auth: 'installation',
        handle: (ctx) => {
          const name = ctx.query.get('name');
          const all = runners
            .inScope(scopeAccess(ctx, state))
            .filter((r) => name === null || r.name === name)
            .map((r) => runners.view(r));
          const page = paginate(ctx, all);
          return json(200, { total_count: all.length, runners: page.items }, page.headers);
        },
      },
      {
        method: 'GET',
        template: `${prefix}/actions/runners/{runner_id}`,
        auth: 'installation',
        handle: (ctx) =>
          json(200, runners.view(runnerIn(scopeAccess(ctx, state), numericParam(ctx, 'runner_id')))),
      },
      {
        method: 'DELETE',
        template: `${prefix}/actions/runners/{runner_id}`,
        auth: 'installation',
        handle: (ctx) => {
          const runner = runnerIn(scopeAccess(ctx, state), numericParam(ctx, 'runner_id'));
          if (sim.deleteRunner(runner) === 'busy') {
            // GitHub's message, including its stray closing quote.
            throw new HttpError(422, `Bad request - Runner "${runner.name}" is still running a job"`);
          }
          return { status: 204 };
        },
      },
    );
  }
  return routes;
}
