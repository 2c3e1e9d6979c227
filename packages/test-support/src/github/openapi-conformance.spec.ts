import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import {
  conformanceProblems,
  githubDescription,
  startRecordingProxy,
  type RecordingProxy,
} from '../github-openapi';
import { startFakeGitHub, startWebhookReceiver, type FakeGitHub, type WebhookReceiver } from './index';
import { call, driveEveryRoute } from './conformance-scenario';
import { silentLog } from './spec-helpers';

/**
 * Every route of the fake, driven over real HTTP into its successes and the errors it serves,
 * and every answer checked against GitHub's published description (@octokit/openapi): the
 * status is documented for the operation (or is one GitHub answers on any route), and the
 * body matches the documented schema. The release downloads are github.com, not the API.
 */
const NOT_API = [/^GET \/actions\/runner\/releases\/download\//];

/**
 * Places where the description contradicts itself, so no real answer can satisfy it: the
 * list-installations response inlines `account` as allOf(simple-user, enterprise) while the
 * `installation` component (used by every other installation route) says anyOf.
 */
const DESCRIPTION_QUIRKS = [
  /^GET \/app\/installations → 200 \(apps\/list-installations\): \/\d+\/account (must be null|must match a schema in anyOf|must have required property '(name|slug|created_at|updated_at)')$/,
];

let fake: FakeGitHub;
let proxy: RecordingProxy;
let receiver: WebhookReceiver;
let asApp: Octokit;
let asInstallation: Octokit;
let asUserInstallation: Octokit;

beforeAll(async () => {
  fake = await startFakeGitHub({ assignment: 'manual' });
  proxy = await startRecordingProxy(fake.url);
  receiver = await startWebhookReceiver('conformance-secret');
  const app = fake.addApp();
  fake.addRepo('acme/web');
  const installationId = fake.install(app.appId, 'acme');
  fake.addUser('octocat');
  fake.addRepo('octocat/hello');
  const userInstallationId = fake.install(app.appId, 'octocat');
  fake.setWebhook(app.appId, { url: receiver.url, secret: 'conformance-secret' });
  const client = (installation?: number) =>
    new Octokit({
      authStrategy: createAppAuth,
      auth: {
        appId: app.appId,
        privateKey: app.privateKey,
        ...(installation ? { installationId: installation } : {}),
      },
      baseUrl: proxy.url,
      log: silentLog,
      request: { retries: 0 },
    });
  asApp = client();
  asInstallation = client(installationId);
  asUserInstallation = client(userInstallationId);
  await driveEveryRoute(
    {
      fake,
      asApp,
      asInstallation,
      asUserInstallation,
      anonymous: new Octokit({ baseUrl: proxy.url, log: silentLog }),
    },
    installationId,
  );
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await receiver.close();
  await fake.close();
});

describe('the fake GitHub against GitHub\u2019s OpenAPI description', () => {
  it('serves only operations GitHub documents, and each of them was driven', () => {
    const description = githubDescription();
    const routes = fake.routes().filter((r) => !NOT_API.some((p) => p.test(`${r.method} ${r.template}`)));
    const undocumented = routes.filter((r) => !description.find(r.method, r.template));
    expect(undocumented).toEqual([]);
    const driven = new Set(Object.keys(fake.calls().byRoute));
    const neverDriven = routes.filter((r) => ![...driven].some((d) => d === `${r.method} ${r.template}`));
    expect(neverDriven).toEqual([]);
  });

  it('answers every request with a documented status and a body of the documented schema', () => {
    const description = githubDescription();
    const problems = proxy
      .exchanges()
      .flatMap((exchange) =>
        conformanceProblems(description, exchange).filter((p) => !DESCRIPTION_QUIRKS.some((q) => q.test(p))),
      );
    expect(problems).toEqual([]);
    expect(fake.internalErrors()).toEqual([]);
  });

  it('serves every documented error status (and secondary rate limits) through fault injection, as documented', async () => {
    const description = githubDescription();
    const faulted = await startRecordingProxy(fake.url);
    const client = new Octokit({ baseUrl: faulted.url, log: silentLog, request: { retries: 0 } });
    const routes = fake.routes().filter((r) => !NOT_API.some((p) => p.test(`${r.method} ${r.template}`)));
    for (const route of routes) {
      const documented = description.find(route.method, route.template)?.statuses ?? [];
      const errors = documented.map(Number).filter((status) => status >= 400);
      const path = route.template.replace(/\{[^}]+\}/g, '1');
      for (const status of errors) {
        fake.faults.add({ method: route.method, path: route.template, status: status as 404, times: 1 });
        await call(client, `${route.method} ${path}`);
      }
      for (const status of [403, 429] as const) {
        fake.faults.add({
          method: route.method,
          path: route.template,
          status,
          secondaryRateLimit: true,
          times: 1,
        });
        await call(client, `${route.method} ${path}`);
      }
    }
    const exchanges = faulted.exchanges();
    await faulted.close();
    expect(exchanges.filter((e) => e.status < 400)).toEqual([]);
    expect(exchanges.flatMap((e) => conformanceProblems(description, e))).toEqual([]);
    const limited = exchanges.filter((e) => /secondary rate limit/.test(JSON.stringify(e.body)));
    expect(limited.length).toBe(routes.length * 2);
    expect(limited.every((e) => Number(e.headers['retry-after']) > 0)).toBe(true);
  });

  it('answered the error statuses the scenario provokes, not only successes', () => {
    const statuses = new Set(proxy.exchanges().map((e) => e.status));
    for (const status of [201, 202, 204, 403, 404, 409, 422]) expect(statuses).toContain(status);
  });
});
