import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { runnerStreamId } from '../runner/runner.decider';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

// A spot warning stops a runner taking more jobs by deleting its registration — but GitHub's
// busy flag (and its 422 on delete) lags a job's start: a runner that just became available
// may be running a job nobody reports yet, which might still finish before the reclaim.
const reusable = poolConfig({ id: 'linux', maxRunners: 2, ephemeral: false });

/** A reusable runner that ran job 70 and finished it now. */
async function runnerDoneWithAJob(fx: ScalerFixture) {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 70, fx.clock.now()));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
  const runnerId = runnerIdForJob(JobId(70), 1);
  const runnerName = runnerNameFor(reusable, runnerId);
  fx.registry.selfRegister(runnerName, { level: 'org', owner: reusable.owner }, reusable.labels);
  for (const action of ['in_progress', 'completed'] as const)
    await recordWorkflowJob(fx.deps, workflowJobFact(action, 70, fx.clock.now(), { runnerName }));
  for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
  const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
  expect(state.status).toBe('idle');
  return { runnerId, instanceId: [...fx.ec2.machines.keys()][0]! };
}

const warn = (fx: ScalerFixture, instanceId: string) =>
  recordInstanceEvent(fx.deps, { kind: 'spot-interruption', instanceId, at: fx.clock.now() }, 'eb');

describe('a spot warning under GitHub’s lagging busy flag', () => {
  it('leaves registered a runner whose last job finished within the lag (it may have taken another)', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    const { instanceId } = await runnerDoneWithAJob(fx);
    fx.clock.advanceSeconds(fx.deps.options.busyFlagLagSeconds - 30);
    await warn(fx, instanceId);
    expect(fx.registry.calls.filter((c) => c === 'deleteRunner')).toEqual([]);
    expect(fx.ec2.alive()).toBe(1);
  });

  it('deregisters and terminates a runner idle for the whole lag', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    const { instanceId } = await runnerDoneWithAJob(fx);
    fx.clock.advanceSeconds(fx.deps.options.busyFlagLagSeconds);
    await warn(fx, instanceId);
    expect(fx.registry.calls.filter((c) => c === 'deleteRunner')).toEqual(['deleteRunner']);
    expect(fx.ec2.alive()).toBe(0);
  });
});
