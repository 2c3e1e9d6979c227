import { describe, expect, it } from '@jest/globals';
import {
  applyJobEvent,
  DependencyError,
  JobId,
  poolStreamId,
  read,
  recordWorkflowJob,
  runnerIdForJob,
  runnerNameFor,
  scaleUp,
} from '@hangar/core';
import { workflowJobFact } from '@hangar/core/testing/scaler-fixture';
import { createJobEventsHandler } from './job-events';
import { createScaleUpHandler } from './scale-up';
import { captureOutput, specWorld, sqsEvent } from './spec-roots';

const LINUX = ['self-hosted', 'linux', 'x64'];

describe('the scale-up handler', () => {
  it('acknowledges a launched job and lists only the malformed record', async () => {
    const world = await specWorld();
    await recordWorkflowJob(
      world.deps,
      workflowJobFact('queued', 11, world.fixture.clock.now(), { labels: LINUX }),
    );
    const { value, output } = await captureOutput(() =>
      createScaleUpHandler(world.root)(
        sqsEvent(
          {
            id: 'ok',
            body: JSON.stringify({ kind: 'serve-job', jobId: '11', attempt: 1, reason: 'queued' }),
          },
          { id: 'bad', body: '{"kind":"serve-job"}' },
        ),
      ),
    );
    expect(value).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(world.fixture.ec2.launches).toHaveLength(1);
    expect(output.match(/"message":"Malformed message"/g)).toHaveLength(1);
  });

  it('lists a record whose launch failed retryably, so SQS delivers it again', async () => {
    const world = await specWorld();
    await recordWorkflowJob(
      world.deps,
      workflowJobFact('queued', 12, world.fixture.clock.now(), { labels: LINUX }),
    );
    world.fixture.ec2.failNext({
      outcome: 'failed',
      reason: 'insufficient-capacity',
      retryable: true,
      errorCodes: ['InsufficientInstanceCapacity'],
      detail: 'no capacity',
    });
    const body = JSON.stringify({ kind: 'serve-job', jobId: '12', attempt: 1, reason: 'queued' });
    const { value } = await captureOutput(() =>
      createScaleUpHandler(world.root)(sqsEvent({ id: 'm', body })),
    );
    expect(value).toEqual({ batchItemFailures: [{ itemIdentifier: 'm' }] });
  });

  it('lists a record whose use case threw, and keeps the others acknowledged', async () => {
    const world = await specWorld();
    const read = world.fixture.store.readStream.bind(world.fixture.store);
    world.fixture.store.readStream = (streamId, options) =>
      streamId.includes('13')
        ? Promise.reject(new DependencyError('dynamodb', 'Query', 'throttled', true))
        : read(streamId, options);
    const serve = (jobId: string) =>
      JSON.stringify({ kind: 'serve-job', jobId, attempt: 1, reason: 'queued' });
    const { value } = await captureOutput(() =>
      createScaleUpHandler(world.root)(
        sqsEvent({ id: 'a', body: serve('13') }, { id: 'b', body: serve('14') }),
      ),
    );
    expect(value).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }] });
  });
});

describe('the job-events handler', () => {
  it('acknowledges an event for a runner that is not ours and lists a malformed one', async () => {
    const world = await specWorld();
    const event = {
      jobId: '20',
      action: 'in_progress',
      runnerName: 'someone-else',
      at: world.fixture.clock.now(),
      deliveryId: 'd',
    };
    const { value } = await captureOutput(() =>
      createJobEventsHandler(world.root)(
        sqsEvent({ id: 'theirs', body: JSON.stringify(event) }, { id: 'bad', body: '[]' }),
      ),
    );
    expect(value).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('gives back the slots of the runners a batch retired in one pool append', async () => {
    const world = await specWorld();
    const pool = world.config.settings.pools.find((p) => p.id === 'linux-x64');
    if (!pool) throw new Error('no linux-x64 pool');
    const names: string[] = [];
    for (const id of [21, 22]) {
      const now = world.fixture.clock.now();
      await recordWorkflowJob(world.deps, workflowJobFact('queued', id, now, { labels: LINUX }));
      for (const m of world.fixture.scaleUpQueue.take()) await scaleUp(world.deps, m, 'up');
      const runnerName = runnerNameFor(pool, runnerIdForJob(JobId(id), 1));
      names.push(runnerName);
      const started = workflowJobFact('in_progress', id, now, { labels: LINUX, runnerName });
      await recordWorkflowJob(world.deps, started);
      for (const m of world.fixture.jobEventsQueue.take()) await applyJobEvent(world.deps, m);
    }
    for (const [i, id] of [21, 22].entries()) {
      const done = { labels: LINUX, runnerName: names[i] ?? null };
      await recordWorkflowJob(world.deps, workflowJobFact('completed', id, world.fixture.clock.now(), done));
    }
    const append = world.fixture.store.append.bind(world.fixture.store);
    const poolAppends: string[] = [];
    world.fixture.store.append = (id, ...rest) => {
      if (id === poolStreamId('linux-x64')) poolAppends.push(id);
      return append(id, ...rest);
    };
    const records = world.fixture.jobEventsQueue
      .take()
      .map((m, i) => ({ id: `done-${i}`, body: JSON.stringify(m) }));
    const { value } = await captureOutput(() => createJobEventsHandler(world.root)(sqsEvent(...records)));
    expect(value).toEqual({ batchItemFailures: [] });
    expect(poolAppends).toHaveLength(1);
    const { state } = await read(world.deps, world.deps.streams.pool, poolStreamId('linux-x64'));
    expect(state.alive).toBe(0);
  });
});
