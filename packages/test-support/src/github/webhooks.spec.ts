import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { appOctokit } from './spec-helpers';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const SECRET = 's3cret';

interface JobPayload {
  action: string;
  workflow_job: { id: number };
}

describe('webhook deliveries', () => {
  let fake: FakeGitHub;
  let receiver: WebhookReceiver;
  let asApp: Octokit;

  const seen = () => receiver.received.map((r) => r.payload as JobPayload);
  const queue = () => fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] }).jobId;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    receiver = await startWebhookReceiver(SECRET);
    const app = fake.addApp();
    fake.addRepo('acme/web');
    fake.install(app.appId, 'acme');
    fake.setWebhook(app.appId, { url: receiver.url, secret: SECRET });
    asApp = appOctokit(fake, app);
  });

  beforeEach(() => {
    receiver.received.length = 0;
    receiver.respondWith(200);
    fake.webhooks.clearRules();
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('sends GitHub headers with a valid signature over the raw body', async () => {
    queue();
    await fake.webhooks.settle();
    const [hit] = receiver.received;
    expect(hit?.signatureValid).toBe(true);
    expect(hit?.headers).toMatchObject({
      'x-github-event': 'workflow_job',
      'x-github-hook-installation-target-type': 'integration',
      'content-type': 'application/json',
    });
    expect(hit?.guid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records a non-2xx answer as a failed delivery that the App can list and redeliver', async () => {
    receiver.respondWith(500);
    const jobId = queue();
    await fake.webhooks.settle();
    const listed = await asApp.request('GET /app/hook/deliveries', { per_page: 5 });
    const failed = listed.data[0];
    expect(failed).toMatchObject({
      status_code: 500,
      action: 'queued',
      redelivery: false,
      event: 'workflow_job',
    });
    const guid = receiver.received[0]?.guid;
    expect(failed?.guid).toBe(guid);

    receiver.respondWith(200);
    const attempt = await asApp.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
      delivery_id: Number(failed?.id),
    });
    expect(attempt.status).toBe(202);
    await fake.webhooks.settle();
    expect(receiver.received.map((r) => r.guid)).toEqual([guid, guid]);
    expect(seen()[1]?.workflow_job.id).toBe(jobId);
    const latest = await asApp.request('GET /app/hook/deliveries/{delivery_id}', {
      delivery_id: fake.deliveries().at(-1)?.id ?? 0,
    });
    expect(latest.data).toMatchObject({
      guid,
      redelivery: true,
      status_code: 200,
      request: { payload: { action: 'queued' } },
    });
  });

  it('drops a delivery without sending it and records it as failed with status code 0', async () => {
    const before = fake.deliveries().length;
    fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], webhook: { effect: 'drop' } });
    await fake.webhooks.settle();
    expect(receiver.received).toEqual([]);
    expect(fake.deliveries().slice(before)).toEqual([expect.objectContaining({ ok: false, statusCode: 0 })]);
  });

  it('duplicates a delivery with the same GUID', async () => {
    fake.webhooks.addRule({ effect: 'duplicate', action: 'queued', times: 1 });
    queue();
    queue();
    await fake.webhooks.settle();
    const guids = receiver.received.map((r) => r.guid);
    expect(guids).toHaveLength(3);
    expect(guids[0]).toBe(guids[1]);
    expect(guids[2]).not.toBe(guids[0]);
  });

  it('holds deliveries and releases them in the chosen order', async () => {
    fake.webhooks.addRule({ effect: 'hold' });
    const first = queue();
    const second = queue();
    fake.completeJob(first, 'cancelled');
    await fake.webhooks.settle();
    expect(receiver.received).toEqual([]);
    const held = fake.webhooks.held();
    expect(held.map((h) => [h.jobId, h.action])).toEqual([
      [first, 'queued'],
      [second, 'queued'],
      [first, 'completed'],
    ]);
    fake.webhooks.release([held[2]?.guid ?? '', held[0]?.guid ?? '']);
    await fake.webhooks.settle();
    expect(seen().map((p) => [p.workflow_job.id, p.action])).toEqual([
      [first, 'completed'],
      [first, 'queued'],
    ]);
    expect(fake.webhooks.held()).toHaveLength(1);
    fake.webhooks.release();
    await fake.webhooks.settle();
    expect(fake.webhooks.held()).toEqual([]);
  });

  it('delays a delivery so that a later event overtakes it', async () => {
    const jobId = fake.queueJob({
      repo: 'acme/web',
      labels: ['self-hosted'],
      webhook: { effect: 'delay', delayMs: 50 },
    }).jobId;
    fake.cancelJob(jobId);
    await fake.webhooks.settle();
    expect(seen().map((p) => p.action)).toEqual(['completed', 'queued']);
  });

  it('pages through deliveries newest first with cursor links', async () => {
    for (let i = 0; i < 3; i++) queue();
    await fake.webhooks.settle();
    const first = await asApp.request('GET /app/hook/deliveries', { per_page: 2 });
    expect(first.headers.link).toMatch(/cursor=v1_\d+>; rel="next"/);
    const ids = first.data.map((d) => d.id);
    expect(ids[0]).toBeGreaterThan(ids[1] ?? Infinity);
    const all = await asApp.paginate('GET /app/hook/deliveries', { per_page: 2 });
    expect(all).toHaveLength(fake.deliveries().length);
  });
});
