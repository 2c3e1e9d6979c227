import {
  HttpError,
  json,
  notFound,
  numericParam,
  param,
  paginate,
  type RequestContext,
  type Route,
} from './http-kit';
import { INSTALLATION_PERMISSIONS, installationJson } from './payloads';
import { appJson } from './rest-shapes';
import type { RouteDeps } from './route-deps';
import { covers } from './state';

function appIdOf(ctx: RequestContext): number {
  if (ctx.caller.kind !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
  return ctx.caller.appId;
}

/** App-level routes (JWT): the App, its installations, installation tokens; plus `/rate_limit`. */
export function appRoutes(deps: RouteDeps): Route[] {
  const { state, auth, rateLimits } = deps;
  const installationsOf = (appId: number) =>
    [...state.installations.values()].filter((i) => i.appId === appId);
  return [
    {
      method: 'GET',
      template: '/app',
      auth: 'app',
      handle: (ctx) => {
        const app = state.apps.get(appIdOf(ctx));
        if (!app) throw notFound();
        const count = installationsOf(app.id).length;
        return json(200, appJson(app, INSTALLATION_PERMISSIONS, count, ctx.baseUrl));
      },
    },
    {
      method: 'GET',
      template: '/app/installations',
      auth: 'app',
      handle: (ctx) => {
        const all = installationsOf(appIdOf(ctx)).map((i) => installationJson(i, state, ctx.baseUrl));
        const page = paginate(ctx, all);
        return json(200, page.items, page.headers);
      },
    },
    {
      method: 'GET',
      template: '/app/installations/{installation_id}',
      auth: 'app',
      handle: (ctx) => {
        const installation = state.installations.get(numericParam(ctx, 'installation_id'));
        if (!installation || installation.appId !== appIdOf(ctx)) throw notFound();
        return json(200, installationJson(installation, state, ctx.baseUrl));
      },
    },
    {
      method: 'POST',
      template: '/app/installations/{installation_id}/access_tokens',
      auth: 'app',
      handle: (ctx) => {
        const installation = state.installations.get(numericParam(ctx, 'installation_id'));
        if (!installation || installation.appId !== appIdOf(ctx)) throw notFound();
        const issued = auth.issueToken(installation.id);
        return json(201, {
          token: issued.token,
          expires_at: issued.expiresAt,
          permissions: INSTALLATION_PERMISSIONS,
          repository_selection: installation.repositories === 'all' ? 'all' : 'selected',
        });
      },
    },
    {
      method: 'GET',
      template: '/orgs/{org}/installation',
      auth: 'app',
      handle: (ctx) => {
        const org = state.org(param(ctx, 'org'));
        const installation = org?.type === 'Organization' && state.installationOf(appIdOf(ctx), org.login);
        if (!installation) throw notFound();
        return json(200, installationJson(installation, state, ctx.baseUrl));
      },
    },
    {
      method: 'GET',
      template: '/users/{username}/installation',
      auth: 'app',
      // GitHub resolves any account here (organisations are users in the /users API).
      handle: (ctx) => {
        const installation = state.installationOf(appIdOf(ctx), param(ctx, 'username'));
        if (!installation) throw notFound();
        return json(200, installationJson(installation, state, ctx.baseUrl));
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/installation',
      auth: 'app',
      handle: (ctx) => {
        const repo = state.repo(`${param(ctx, 'owner')}/${param(ctx, 'repo')}`);
        const installation = repo && state.installationOf(appIdOf(ctx), repo.owner);
        if (!repo || !installation || !covers(installation, repo)) throw notFound();
        return json(200, installationJson(installation, state, ctx.baseUrl));
      },
    },
    {
      method: 'GET',
      template: '/rate_limit',
      auth: 'installation',
      free: true,
      handle: (ctx) => json(200, rateLimits.body(ctx.caller)),
    },
  ];
}
