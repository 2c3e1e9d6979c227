// What the use cases leave on the streams so an operator's "why is my job waiting?" can be
// answered from the record alone (issue 13): each spec names the detail it proves is stored.
import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { runnerStreamId } from '../runner/runner.decider';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
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
