import { describe, expect, it } from '@jest/globals';
import { DependencyError, recordWorkflowJob } from '@hangar/core';
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
});
