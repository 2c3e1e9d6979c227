import { describe, expect, it } from '@jest/globals';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf } from '../runner/runner.state';
import { JobId, PoolId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { read } from './execute';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, scaleUp } from './scale-up';

// EC2 accepted the launch, but its `RunnerLaunched` was never appended (the answer was lost and
// the key lookup missed, or the scale-up crashed in between). The spot warning is the only
// notice of the interruption: it must not be dropped because our records do not name the machine.
const pool = poolConfig({ id: 'linux', maxRunners: 1 });
const runnerId = runnerIdForJob(JobId(800), 1);

/** A runner whose machine exists while its stream still shows the launch open. */
async function launchedUnrecorded(fx: ScalerFixture): Promise<string> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 800, fx.clock.now()));
  fx.ec2.acceptThenThrottle(5);
  fx.ec2.lookupsMissing = 3;
  for (const message of fx.scaleUpQueue.take())
    expect(await scaleUp(fx.deps, message, 'first')).toMatchObject({ kind: 'retry' });
  expect((await runnerState(fx)).status).toBe('launching');
  const [instanceId] = fx.ec2.machines.keys();
  if (!instanceId) throw new Error('the launch started no machine');
  return instanceId;
}

const runnerState = async (fx: ScalerFixture) =>
  (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;
const warn = (fx: ScalerFixture, instanceId: string) =>
  recordInstanceEvent(fx.deps, { kind: 'spot-interruption', instanceId, at: fx.clock.now() }, 'eb');

describe('a spot warning for a machine whose launch was never recorded', () => {
  it('records the machine (found by its tags) and its interruption, and retires it before it can take a job', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const instanceId = await launchedUnrecorded(fx);
    fx.clock.advanceSeconds(30);
    expect(await warn(fx, instanceId)).toMatchObject({ kind: 'recorded', runnerId });
    const state = await runnerState(fx);
    expect(machineOf(state)).toMatchObject({ instanceId, interruptedAt: fx.clock.now() });
    expect(state).toMatchObject({ reason: 'spot-interruption' });
    expect(fx.ec2.alive()).toBe(0);
  });

  it('leaves a machine tagged as another runner’s key alone (not adopted by a runner it was not launched for)', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    await launchedUnrecorded(fx);
    const stray = fx.ec2.addLeak(runnerId, PoolId('linux'), fx.clock.now());
    expect(await warn(fx, stray)).toEqual({ kind: 'not-our-instance' });
    expect(machineOf(await runnerState(fx))).toBeNull();
  });

  it('fails retryably when the machine cannot be looked up, so the warning is delivered again', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const instanceId = await launchedUnrecorded(fx);
    fx.ec2.lookupFailures = 1;
    await expect(warn(fx, instanceId)).rejects.toMatchObject({ retryable: true });
    expect(await warn(fx, instanceId)).toMatchObject({ kind: 'recorded', runnerId });
  });

  it('answers not-our-instance for a machine nobody here launched', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    expect(await warn(fx, 'i-0123456789abcdef0')).toEqual({ kind: 'not-our-instance' });
  });
});
