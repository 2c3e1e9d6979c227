import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { verifyAndParseWebhook } from '@hangar/adapter-github';
import { startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startWebhookBridge, type WebhookBridge } from './webhook-bridge';

const SECRET = 'bridge-spec-secret';
const asRequest = (event: APIGatewayProxyEventV2) => ({
  headers: event.headers,
  body: event.body ?? '',
  isBase64Encoded: event.isBase64Encoded,
});
let fake: FakeGitHub;
let bridge: WebhookBridge;
let events: APIGatewayProxyEventV2[];

beforeEach(async () => {
  events = [];
  fake = await startFakeGitHub();
  const app = fake.addApp();
  fake.addRepo('acme/web');
  fake.install(app.appId, 'acme');
  bridge = await startWebhookBridge(
    async (event) => {
      events.push(event);
      const outcome = verifyAndParseWebhook(asRequest(event), [SECRET]);
      return outcome.kind === 'rejected'
        ? { statusCode: outcome.httpStatus, body: outcome.reason }
        : { statusCode: 202, headers: { 'content-type': 'text/plain' }, body: outcome.kind };
    },
    () => new Date('2026-01-05T08:00:00Z'),
  );
  fake.setWebhook(app.appId, { url: bridge.url, secret: SECRET });
});

afterEach(async () => {
  await fake.close();
  await bridge.close();
});

describe('webhook bridge (API Gateway HTTP API stand-in)', () => {
  it('hands a signed GitHub delivery to the handler as a payload-2.0 event whose signature verifies', async () => {
    fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] });
    await fake.webhooks.settle();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhook',
      rawPath: '/webhook',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/webhook' }, stage: '$default' },
    });
    expect(event?.headers['x-github-event']).toBe('workflow_job');
    expect(verifyAndParseWebhook(asRequest(event as APIGatewayProxyEventV2), [SECRET])).toMatchObject({
      kind: 'accepted',
      fact: { action: 'queued', repo: 'web', owner: 'acme' },
    });
    expect(bridge.answers()).toEqual({ '202': 1 });
    expect(fake.deliveries().map((d) => d.statusCode)).toEqual([202]);
  });

  it("returns the handler's status to GitHub, which records a failed delivery for a 401", async () => {
    // A second App signs with a secret the handler does not know.
    const stranger = fake.addApp();
    fake.install(stranger.appId, 'acme');
    fake.setWebhook(stranger.appId, { url: bridge.url, secret: 'wrong-secret' });
    fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'] });
    await fake.webhooks.settle();
    const byApp = fake.deliveries().map((d) => [d.appId === stranger.appId, d.statusCode, d.ok]);
    expect(byApp.sort()).toEqual([
      [false, 202, true],
      [true, 401, false],
    ]);
  });

  it('answers 500 when the handler throws, as API Gateway does for a failed Lambda', async () => {
    await bridge.close();
    bridge = await startWebhookBridge(
      () => Promise.reject(new Error('boom')),
      () => new Date(),
    );
    const response = await fetch(bridge.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(bridge.answers()).toEqual({ '500': 1 });
  });
});
