import type { AppAuth } from './app-auth';
import { HttpError, notFound, param, type RequestContext } from './http-kit';
import type { Jobs } from './jobs';
import type { RateLimits } from './rate-limit';
import type { Releases } from './releases';
import type { Runners } from './runners';
import type { Simulation } from './simulation';
import { covers, sameName, type FakeGitHubState } from './state';
import type { InstallationRecord, RepoRecord, RunnerScope } from './types';
import type { WebhookDispatcher } from './webhooks';

/** Everything route handlers work with. */
export interface RouteDeps {
  readonly state: FakeGitHubState;
  readonly auth: AppAuth;
  readonly runners: Runners;
  readonly jobs: Jobs;
  readonly sim: Simulation;
  readonly webhooks: WebhookDispatcher;
  readonly rateLimits: RateLimits;
  readonly releases: Releases;
}

function installationOf(ctx: RequestContext): InstallationRecord {
  if (ctx.caller.kind !== 'installation') throw new HttpError(401, 'Bad credentials');
  return ctx.caller.installation;
}

/**
 * The organisation in `{org}`. GitHub answers 404 for an unknown organisation and 403
 * "Resource not accessible by integration" when the token's installation is elsewhere.
 */
export function orgAccess(ctx: RequestContext, state: FakeGitHubState): string {
  const org = state.org(param(ctx, 'org'));
  // A personal account is not an organisation: GitHub answers its /orgs/ routes 404.
  if (!org || org.type !== 'Organization') throw notFound();
  if (!sameName(installationOf(ctx).org, org.login)) {
    throw new HttpError(403, 'Resource not accessible by integration');
  }
  return org.login;
}

/** The repository in `{owner}/{repo}`; 404 when unknown or outside the installation, as GitHub does. */
export function repoAccess(ctx: RequestContext, state: FakeGitHubState): RepoRecord {
  const repo = state.repo(`${param(ctx, 'owner')}/${param(ctx, 'repo')}`);
  if (!repo || !covers(installationOf(ctx), repo)) throw notFound();
  return repo;
}

/** The runner scope of an `/orgs/{org}/...` or `/repos/{owner}/{repo}/...` route. */
export function scopeAccess(ctx: RequestContext, state: FakeGitHubState): RunnerScope {
  return ctx.template.startsWith('/orgs/')
    ? { kind: 'org', org: orgAccess(ctx, state) }
    : { kind: 'repo', repo: repoAccess(ctx, state).fullName };
}
