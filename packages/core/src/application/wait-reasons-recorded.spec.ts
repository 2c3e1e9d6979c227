// What the use cases leave on the streams so an operator's "why is my job waiting?" can be
// answered from the record alone (issue 13): each spec names the detail it proves is stored.
import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { runnerStreamId } from '../runner/runner.decider';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { jobStreamId } from '../job/job.decider';
import { reconcile } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, scaleUp } from './scale-up';

async function queueAndServe(fx: ScalerFixture, jobId: number): Promise<void> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'spec');
}

async function eventsOf(fx: ScalerFixture, streamId: string) {
  return (await fx.store.readStream(streamId)).events;
}

describe('launch failures', () => {
  it('record the cloud error codes and the instance type and subnet each was reported for', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux' })]));
    const placements = [
      { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm7i.large', subnetId: 'subnet-a' },
      { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm6i.large', subnetId: 'subnet-a' },
    ];
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'insufficient-capacity',
      retryable: true,
      errorCodes: ['InsufficientInstanceCapacity'],
      detail: 'no spot',
      placements,
    });
    await queueAndServe(fx, 1);
    const failed = (await eventsOf(fx, runnerStreamId(runnerIdForJob(JobId('1'), 1)))).find(
      (event) => event.type === 'RunnerLaunchFailed',
    );
    expect(failed?.data).toMatchObject({ errorCodes: ['InsufficientInstanceCapacity'], placements });
  });
});

describe('a pool at its maximum', () => {
  it('records how many runners are alive against the maximum on the job', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    await queueAndServe(fx, 1);
    await queueAndServe(fx, 2);
    const rejected = (await eventsOf(fx, jobStreamId(JobId('2')))).find(
      (event) => event.type === 'ScaleUpRejected',
    );
    expect(rejected?.data).toMatchObject({ reason: 'max-runners-reached', alive: 1, max: 1 });
  });

  it('records that scale-up stopped retrying once the job waited past the queue limit', async () => {
    const settings = scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })], {
      jobQueueLimitMinutes: 30,
    });
    const fx = scalerFixture(settings);
    await queueAndServe(fx, 1);
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 2, fx.clock.now()));
    const [message] = fx.scaleUpQueue.take();
    await scaleUp(fx.deps, message!, 'first');
    fx.clock.advanceMinutes(31);
    const outcome = await scaleUp(fx.deps, message!, 'after the limit');
    expect(outcome.kind).toBe('gave-up');
    const rejections = (await eventsOf(fx, jobStreamId(JobId('2')))).filter(
      (event) => event.type === 'ScaleUpRejected',
    );
    expect(rejections.map((event) => (event.data as { final?: boolean }).final ?? false)).toEqual([
      false,
      true,
    ]);
  });
});

describe('the reconciler asking again', () => {
  it('records on the job why the previous runner was given up (here: its launch failed for good)', async () => {
    const settings = scalerSettings([poolConfig({ id: 'linux' })], { jobRetryAfterMinutes: 5 });
    const fx = scalerFixture(settings);
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['InvalidLaunchTemplateName.NotFoundException'],
      detail: 'no template',
    });
    await queueAndServe(fx, 1);
    fx.clock.advanceMinutes(6);
    await reconcile(fx.deps, 'spec');
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'spec');
    const requests = (await eventsOf(fx, jobStreamId(JobId('1')))).filter(
      (event) => event.type === 'RunnerRequestedForJob',
    );
    expect(requests.map((event) => event.data)).toEqual([
      expect.not.objectContaining({ cause: expect.anything() }),
      expect.objectContaining({ attempt: 2, reason: 'reconcile', cause: 'runner-failed' }),
    ]);
  });
});
