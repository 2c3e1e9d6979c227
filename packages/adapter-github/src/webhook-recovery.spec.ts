import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DependencyError } from '@hangar/core';
import { startWebhookReceiver, type WebhookReceiver } from '@hangar/test-support/github';
import { startWorld, type GitHubWorld } from './spec-support';
import { GitHubWebhookRecovery } from './webhook-recovery';

const SECRET = 'hook-secret';
const LIST = 'GET /app/hook/deliveries';
const REDELIVER = 'POST /app/hook/deliveries/{delivery_id}/attempts';

describe('GitHubWebhookRecovery', () => {
  let world: GitHubWorld;
  let receiver: WebhookReceiver;
  let recovery: GitHubWebhookRecovery;
  const since = () => new Date(Date.now() - 60 * 60 * 1000).toISOString();
  const queue = (drop = false) =>
    world.fake.queueJob({
      repo: 'acme/web',
      labels: ['nobody'],
      ...(drop ? { webhook: { effect: 'drop' as const } } : {}),
    }).jobId;
  const receivedJobIds = () =>
    receiver.received.map((r) => (r.payload as { workflow_job: { id: number } }).workflow_job.id);

  beforeEach(async () => {
    world = await startWorld();
    receiver = await startWebhookReceiver(SECRET);
    world.fake.setWebhook(world.app.appId, { url: receiver.url, secret: SECRET });
    recovery = new GitHubWebhookRecovery(world.pool());
  });

  afterEach(async () => {
    await world.fake.close();
    await receiver.close();
  });

  it('redelivers exactly the workflow_job deliveries that failed', async () => {
    const delivered = [queue(), queue()];
    const dropped = [queue(true), queue(true), queue(true)];
    await world.fake.webhooks.settle();
    receiver.respondWith(500);
    const refused = queue();
    await world.fake.webhooks.settle();
    receiver.respondWith(200);
    receiver.received.length = 0;
    world.fake.resetCalls();

    const result = await recovery.redeliverFailed(since(), 20);
    await world.fake.webhooks.settle();

    expect(result).toEqual({ inspected: 6, redelivered: 4 });
    expect(receivedJobIds().sort()).toEqual([...dropped, refused].sort());
    expect(receivedJobIds()).not.toEqual(expect.arrayContaining(delivered));
    expect(world.calls(LIST)).toBe(1);
    expect(world.calls(REDELIVER)).toBe(4);
  });

  it('never redelivers a delivery the endpoint refused for its content (400, 413, 415, 422): it would be refused again, run after run, spending the budget', async () => {
    for (const status of [400, 413, 415, 422]) {
      receiver.respondWith(status);
      queue();
      await world.fake.webhooks.settle();
    }
    receiver.respondWith(200);
    const lost = queue(true);
    await world.fake.webhooks.settle();
    receiver.received.length = 0;
    world.fake.resetCalls();

    expect(await recovery.redeliverFailed(since(), 20)).toMatchObject({ redelivered: 1 });
    await world.fake.webhooks.settle();
    expect(receivedJobIds()).toEqual([lost]);
    expect(world.calls(REDELIVER)).toBe(1);
  });

  it('skips a failed delivery that was already redelivered successfully', async () => {
    queue(true);
    await world.fake.webhooks.settle();
    expect(await recovery.redeliverFailed(since(), 20)).toMatchObject({ redelivered: 1 });
    await world.fake.webhooks.settle();
    receiver.received.length = 0;

    expect(await recovery.redeliverFailed(since(), 20)).toEqual({ inspected: 2, redelivered: 0 });
    await world.fake.webhooks.settle();
    expect(receiver.received).toHaveLength(0);
  });

  it('never spends more calls than its budget', async () => {
    for (let i = 0; i < 5; i++) queue(true);
    await world.fake.webhooks.settle();
    world.fake.resetCalls();
    const result = await recovery.redeliverFailed(since(), 3);
    expect(result.redelivered).toBe(2);
    expect(world.fake.calls().total).toBe(3);
  });

  it('follows cursor pages until deliveries are older than `since`', async () => {
    for (let i = 0; i < 150; i++) queue(i % 50 === 0);
    await world.fake.webhooks.settle();
    world.fake.resetCalls();
    const result = await recovery.redeliverFailed(since(), 10);
    expect(result).toEqual({ inspected: 150, redelivered: 3 });
    expect(world.calls(LIST)).toBe(2);

    world.fake.resetCalls();
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await recovery.redeliverFailed(future, 10)).toEqual({ inspected: 0, redelivered: 0 });
    expect(world.calls(LIST)).toBe(1);
  });

  it('redelivers through every App with a shared budget', async () => {
    const second = world.fake.addApp();
    world.fake.install(second.appId, 'acme');
    world.fake.setWebhook(second.appId, { url: receiver.url, secret: SECRET });
    queue(true);
    await world.fake.webhooks.settle();
    const both = new GitHubWebhookRecovery(world.pool({ apps: [world.app, second] }));
    expect(await both.redeliverFailed(since(), 10)).toEqual({ inspected: 2, redelivered: 2 });
  });

  it('reports a delivery log outage as a retryable DependencyError', async () => {
    world.fake.faults.add({ path: '/app/hook/deliveries', status: 503 });
    const failure = recovery.redeliverFailed(since(), 10);
    await expect(failure).rejects.toBeInstanceOf(DependencyError);
    await expect(failure).rejects.toMatchObject({ retryable: true, operation: 'redeliver-webhooks' });
  });

  it('reads again only the deliveries newer than those a finished scan inspected, less an overlap', async () => {
    let nowMs = Date.parse('2026-11-30T08:00:00Z');
    const local = await startWorld({ now: () => nowMs });
    const hook = await startWebhookReceiver(SECRET);
    local.fake.setWebhook(local.app.appId, { url: hook.url, secret: SECRET });
    const scans = new GitHubWebhookRecovery(local.pool());
    const queueAt = (drop: boolean) =>
      local.fake.queueJob({
        repo: 'acme/web',
        labels: ['nobody'],
        ...(drop ? { webhook: { effect: 'drop' as const } } : {}),
      }).jobId;
    const lookback = () => new Date(nowMs - 60 * 60 * 1000).toISOString();
    const minutes = (n: number) => n * 60 * 1000;
    try {
      for (let i = 0; i < 150; i++) queueAt(i === 0);
      // The fake stamps an attempt when it ends: let these end before the clock moves.
      await local.fake.webhooks.settle();
      nowMs += minutes(5);
      queueAt(false);
      await local.fake.webhooks.settle();
      expect(await scans.redeliverFailed(lookback(), 10)).toEqual({ inspected: 151, redelivered: 1 });
      await local.fake.webhooks.settle();

      // Five minutes later: the new delivery, the redelivery and the last delivery of the first
      // scan (within the overlap) are read again; the 150 older ones are not.
      nowMs += minutes(5);
      const lost = queueAt(true);
      await local.fake.webhooks.settle();
      hook.received.length = 0;
      local.fake.resetCalls();
      expect(await scans.redeliverFailed(lookback(), 10)).toEqual({ inspected: 3, redelivered: 1 });
      expect(local.calls(LIST)).toBe(1);
      await local.fake.webhooks.settle();
      expect(
        hook.received.map((r) => (r.payload as { workflow_job: { id: number } }).workflow_job.id),
      ).toEqual([lost]);

      // A fresh process (a cold start) knows nothing yet: it reads the whole lookback again.
      local.fake.resetCalls();
      const cold = new GitHubWebhookRecovery(local.pool());
      expect(await cold.redeliverFailed(lookback(), 10)).toMatchObject({ inspected: 154, redelivered: 0 });
      expect(local.calls(LIST)).toBe(2);
    } finally {
      await local.fake.close();
      await hook.close();
    }
  });
});
