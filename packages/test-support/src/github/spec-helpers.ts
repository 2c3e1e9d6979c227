import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { FakeApp, FakeGitHub } from './handle';

/** Keeps Octokit from logging every expected 4xx to the console. */
export const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An Octokit authenticated as an installation of `app` against the fake, as production code builds it. */
export function installationOctokit(fake: FakeGitHub, app: FakeApp, installationId: number): Octokit {
  return new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey, installationId },
    baseUrl: fake.url,
    log: silentLog,
  });
}

/** An Octokit authenticated as the App itself (JWT). */
export function appOctokit(fake: FakeGitHub, app: FakeApp): Octokit {
  return new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey },
    baseUrl: fake.url,
    log: silentLog,
  });
}
