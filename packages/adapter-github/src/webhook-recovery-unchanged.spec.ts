import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startWebhookReceiver, type WebhookReceiver } from '@hangar/test-support/github';
import { startWorld, type GitHubWorld } from './spec-support';
import { GitHubWebhookRecovery } from './webhook-recovery';

const SECRET = 'hook-secret';
const LIST = 'GET /app/hook/deliveries';
const minutes = (n: number) => n * 60 * 1000;

/**
 * A reconciler run every five minutes reads the newest page of the delivery log even when
 * nothing was delivered since. GitHub answers a conditional request (`If-None-Match` with the
 * page's ETag) 304 when the page is unchanged, and a 304 does not count against the rate limit.
 */
describe('GitHubWebhookRecovery on an unchanged delivery log', () => {
  let nowMs: number;
  let world: GitHubWorld;
  let hook: WebhookReceiver;
  let recovery: GitHubWebhookRecovery;
  const queue = (drop = false) =>
    world.fake.queueJob({
      repo: 'acme/web',
      labels: ['nobody'],
      ...(drop ? { webhook: { effect: 'drop' as const } } : {}),
    }).jobId;
  const lookback = () => new Date(nowMs - minutes(60)).toISOString();
  const notModified = () => world.fake.calls().notModified?.[LIST] ?? 0;

  beforeEach(async () => {
    nowMs = Date.parse('2026-11-30T08:00:00Z');
    world = await startWorld({ now: () => nowMs });
    hook = await startWebhookReceiver(SECRET);
    world.fake.setWebhook(world.app.appId, { url: hook.url, secret: SECRET });
    recovery = new GitHubWebhookRecovery(world.pool());
  });

  afterEach(async () => {
    await world.fake.close();
    await hook.close();
  });

  it('asks with the last page ETag: GitHub answers 304 (free against the rate limit), and a new failed delivery is still redelivered', async () => {
    queue();
    queue(true);
    await world.fake.webhooks.settle();
    expect(await recovery.redeliverFailed(lookback(), 10)).toMatchObject({ redelivered: 1 });
    await world.fake.webhooks.settle();
    nowMs += minutes(5);
    // The redelivery is a new entry: this scan reads it (and has nothing to redeliver).
    expect(await recovery.redeliverFailed(lookback(), 10)).toMatchObject({ redelivered: 0 });

    nowMs += minutes(5);
    world.fake.resetCalls();
    expect(await recovery.redeliverFailed(lookback(), 10)).toEqual({ inspected: 0, redelivered: 0 });
    expect(notModified()).toBe(1);

    nowMs += minutes(5);
    const lost = queue(true);
    await world.fake.webhooks.settle();
    hook.received.length = 0;
    expect(await recovery.redeliverFailed(lookback(), 10)).toMatchObject({ redelivered: 1 });
    await world.fake.webhooks.settle();
    expect(hook.received.map((r) => (r.payload as { workflow_job: { id: number } }).workflow_job.id)).toEqual(
      [lost],
    );
  });

  it('never trusts an unchanged first page that did not reach back over the overlap: a late-logged failure could sit on the next page', async () => {
    // 150 deliveries within one minute: the first page does not reach back two minutes.
    for (let i = 0; i < 150; i++) queue();
    await world.fake.webhooks.settle();
    expect(await recovery.redeliverFailed(lookback(), 10)).toMatchObject({ inspected: 150 });

    nowMs += minutes(1);
    world.fake.resetCalls();
    await recovery.redeliverFailed(lookback(), 10);
    expect(notModified()).toBe(0);
    expect(world.fake.calls().byRoute[LIST]).toBe(2);
  });
});
