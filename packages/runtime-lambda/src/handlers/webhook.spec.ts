import { describe, expect, it } from '@jest/globals';
import { DependencyError } from '@hangar/core';
import { createWebhookHandler } from './webhook';
import { captureOutput, httpEvent, sign, specWorld, workflowJobBody } from './spec-roots';

const headers = (body: string, signature = sign(body)) => ({
  'Content-Type': 'application/json',
  'X-GitHub-Event': 'workflow_job',
  'X-GitHub-Delivery': 'delivery-1',
  'X-Hub-Signature-256': signature,
});

async function call(world: Awaited<ReturnType<typeof specWorld>>, event: ReturnType<typeof httpEvent>) {
  const { value } = await captureOutput(() => createWebhookHandler(world.webhookRoot)(event));
  return { status: value.statusCode, body: JSON.parse(String(value.body)) as Record<string, unknown> };
}

describe('the webhook handler', () => {
  it('records a queued job and enqueues it, answering 202', async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 1, ['self-hosted', 'linux', 'x64']);
    expect(await call(world, httpEvent(body, headers(body)))).toEqual({
      status: 202,
      body: { status: 'recorded', enqueued: true, duplicate: false },
    });
    expect(world.fixture.scaleUpQueue.sent.map((m) => m.body)).toEqual([
      {
        kind: 'serve-job',
        jobId: '1',
        attempt: 1,
        reason: 'queued',
        job: { version: 1, state: expect.objectContaining({ status: 'queued', requests: [] }) },
      },
    ]);
  });

  it('accepts a function URL event with a base64 body and lower-case headers', async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 2, ['self-hosted', 'linux', 'x64']);
    const lower = Object.fromEntries(Object.entries(headers(body)).map(([k, v]) => [k.toLowerCase(), v]));
    const answer = await call(world, httpEvent(body, lower, { base64: true }));
    expect(answer).toMatchObject({ status: 202, body: { status: 'recorded', enqueued: true } });
  });

  it('answers 401 with a short reason when the signature does not match, recording nothing', async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 3, ['self-hosted', 'linux', 'x64']);
    const answer = await call(world, httpEvent(body, headers(body, sign(body, 'wrong-secret'))));
    expect(answer).toEqual({
      status: 401,
      body: { status: 'rejected', reason: 'X-Hub-Signature-256 does not match' },
    });
    expect(world.fixture.scaleUpQueue.sent).toEqual([]);
  });

  it("flushes the invocation's metrics as one EMF record when it ends", async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 7, ['self-hosted', 'linux', 'x64']);
    const { output } = await captureOutput(() =>
      createWebhookHandler(world.webhookRoot)(httpEvent(body, headers(body, sign(body, 'wrong')))),
    );
    const emf = output
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ WebhooksRejected: 1, service: 'hangar-spec' });
  });

  it('answers 202 ignored for a job that is not self-hosted', async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 4, ['ubuntu-latest']);
    expect(await call(world, httpEvent(body, headers(body)))).toEqual({
      status: 202,
      body: { status: 'ignored', reason: 'not a self-hosted job' },
    });
  });

  it('answers 202 unroutable for self-hosted labels no pool serves', async () => {
    const world = await specWorld();
    const body = workflowJobBody('queued', 5, ['self-hosted', 'gpu']);
    const answer = await call(world, httpEvent(body, headers(body)));
    expect(answer).toMatchObject({ status: 202, body: { status: 'unroutable' } });
  });

  it('answers 503 when the event store is down (retryable) and 500 for a non-retryable failure', async () => {
    for (const [retryable, status] of [
      [true, 503],
      [false, 500],
    ] as const) {
      const world = await specWorld();
      // A queued job is appended without a read first: both calls fail.
      world.fixture.store.readStream = () =>
        Promise.reject(new DependencyError('dynamodb', 'Query', 'unavailable', retryable));
      world.fixture.store.append = () =>
        Promise.reject(new DependencyError('dynamodb', 'TransactWriteItems', 'unavailable', retryable));
      const body = workflowJobBody('queued', 6, ['self-hosted', 'linux', 'x64']);
      expect((await call(world, httpEvent(body, headers(body)))).status).toBe(status);
    }
  });
});
