import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreClient, createEventStoreTable, DynamoDbEventStore } from '@hangar/adapter-aws';
import { JobId, jobStreamId, type ReconcileDeps } from '@hangar/core';
import { createWebhookHandler } from './webhook';
import { captureOutput, httpEvent, sign, specWorld, workflowJobBody } from './spec-roots';

/** DynamoDB Local's (and DynamoDB's) limit on one item; a JobQueued above it cannot be written. */
const ITEM_LIMIT = 400 * 1024;

let client: DynamoDBClient;
const tableName = `webhook-bounds-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  const endpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('HANGAR_TEST_DYNAMODB_ENDPOINT is not set: run through `pnpm jest`');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  client = createEventStoreClient({ endpoint, region: 'local', credentials, maxAttempts: 1 });
  await createEventStoreTable(client, tableName);
});
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

/** The webhook over the real DynamoDB event store (item size limits and all). */
async function webhook() {
  const world = await specWorld();
  const store = new DynamoDbEventStore({ client, tableName });
  const deps: ReconcileDeps = { ...world.deps, eventStore: store, snapshots: store, index: store };
  const handler = createWebhookHandler({ ...world.webhookRoot, deps });
  const deliver = async (body: string, delivery = `d-${Math.random()}`) => {
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': delivery,
      'x-hub-signature-256': sign(body),
    };
    const { value } = await captureOutput(() => handler(httpEvent(body, headers)));
    return { status: value.statusCode, body: JSON.parse(String(value.body)) as Record<string, unknown> };
  };
  const events = async (jobId: number) => (await store.readStream(jobStreamId(JobId(jobId)))).events;
  return { deliver, events, world };
}

/** A signed `workflow_job` body with some fields replaced. */
function body(action: string, jobId: number, job: Record<string, unknown> = {}): string {
  const parsed = JSON.parse(workflowJobBody(action, jobId, ['self-hosted', 'linux', 'x64'])) as {
    workflow_job: Record<string, unknown>;
  };
  Object.assign(parsed.workflow_job, job);
  return JSON.stringify(parsed);
}

describe('a correctly signed delivery whose record would exceed the 400 KB item limit', () => {
  it('answers 422 naming the field for labels beyond the stored bounds, and writes nothing', async () => {
    const { deliver, events, world } = await webhook();
    const labels = ['self-hosted', 'linux', 'x'.repeat(ITEM_LIMIT)];
    const answer = await deliver(body('queued', 501, { labels }));
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      status: 'rejected',
      reason: 'workflow_job.labels[2]: longer than 256 characters, more than Hangar stores for a job',
    });
    const many = Array.from({ length: 2_000 }, (_, i) => `label-${i}-${'y'.repeat(200)}`);
    const second = await deliver(body('queued', 502, { labels: many }));
    expect(second).toMatchObject({
      status: 422,
      body: { reason: expect.stringMatching(/more than 64 labels/) },
    });
    expect(await events(501)).toEqual([]);
    expect(await events(502)).toEqual([]);
    expect(world.fixture.scaleUpQueue.sent).toEqual([]);
  });

  it('answers 422 for a runner name beyond the stored bounds on in_progress, and writes nothing', async () => {
    const { deliver, events } = await webhook();
    const answer = await deliver(body('in_progress', 503, { runner_name: 'r'.repeat(ITEM_LIMIT) }));
    expect(answer).toMatchObject({
      status: 422,
      body: { reason: expect.stringMatching(/^workflow_job.runner_name: /) },
    });
    expect(await events(503)).toEqual([]);
  });

  it('records a job whose workflow name is huge with the name truncated and its full length noted', async () => {
    const { deliver, events } = await webhook();
    const answer = await deliver(body('queued', 504, { workflow_name: 'w'.repeat(ITEM_LIMIT) }));
    expect(answer.status).toBe(202);
    const [queued] = await events(504);
    const name = (queued?.data as { name: string }).name;
    expect(name.length).toBeLessThanOrEqual(1100);
    expect(name).toMatch(/^w+… \(truncated from 409600 characters\)$/);
  });

  it('answers 400 for a delivery id longer than any GitHub sends, writing nothing', async () => {
    const { deliver, events } = await webhook();
    const answer = await deliver(body('queued', 505), 'g'.repeat(ITEM_LIMIT));
    expect(answer).toMatchObject({
      status: 400,
      body: { reason: expect.stringMatching(/X-GitHub-Delivery/) },
    });
    expect(await events(505)).toEqual([]);
  });

  it('records a delivery at every bound (the largest record Hangar stores fits in one item)', async () => {
    const { deliver, events } = await webhook();
    const long = Array.from({ length: 63 }, (_, i) => `${i}-${'z'.repeat(256)}`.slice(0, 256));
    const labels = ['self-hosted', ...long];
    const job = { labels, workflow_name: 'n'.repeat(1024), runner_name: 'r'.repeat(256) };
    const queued = await deliver(body('queued', 506, job), 'q'.repeat(128));
    const started = await deliver(body('in_progress', 506, job), 's'.repeat(128));
    expect([queued.status, started.status]).toEqual([202, 202]);
    expect((await events(506)).map((e) => e.type)).toEqual(['JobQueued', 'JobUnroutable', 'JobStarted']);
  });
});
