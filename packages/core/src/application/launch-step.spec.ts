import { describe, expect, it } from '@jest/globals';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { read } from './execute';
import type { ScaleUpMessage } from './messages';
import { recordWorkflowJob } from './record-workflow-job';
import { resumeTermination, retireRunner } from './retire-runner';
import { runnerIdForJob, scaleUp } from './scale-up';

/** Launch outcomes nobody can tell (launch-step.ts): one machine per runner, its slot counted. */
const pool = poolConfig({ id: 'linux', maxRunners: 1 });
const runnerId = runnerIdForJob(JobId(800), 1);

async function queued(fx: ScalerFixture): Promise<ScaleUpMessage> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 800, fx.clock.now()));
  const [message] = fx.scaleUpQueue.take();
  if (!message) throw new Error('no scale-up message');
  return message;
}
const runner = async (fx: ScalerFixture) =>
  (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;
const slots = async (fx: ScalerFixture) =>
  (await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'))).state.alive;
const keys = (fx: ScalerFixture) => fx.ec2.launches.map((launch) => launch.idempotencyKey);

describe('a launch whose outcome is unknown', () => {
  it('accepted, answer lost, then throttled: the machine is found by its key at once; one machine, one attempt', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    fx.ec2.acceptThenThrottle(5);
    const outcome = await scaleUp(fx.deps, await queued(fx), 'first');
    expect(outcome).toMatchObject({ kind: 'launched' });
    expect(fx.ec2.alive()).toBe(1);
    expect(keys(fx)).toEqual([`${runnerId}-1`]);
    expect(await runner(fx)).toMatchObject({ status: 'launched', launchAttempts: 1 });
  });

  it('while the listing lags and every call is throttled, the attempt stays open with its slot; never a second key', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.ec2.acceptThenThrottle(5);
    fx.ec2.lookupsMissing = 3;
    expect(await scaleUp(fx.deps, message, 'first')).toMatchObject({ kind: 'retry' });
    expect(await runner(fx)).toMatchObject({
      status: 'launching',
      attempt: 1,
      outcomeUnknown: { reason: 'dependency-unavailable' },
    });
    expect(await scaleUp(fx.deps, message, 'redelivery')).toMatchObject({ kind: 'retry' });
    expect(await slots(fx)).toBe(1);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(await runner(fx)).toMatchObject({ status: 'launched', launchAttempts: 1 });
    expect(new Set(keys(fx))).toEqual(new Set([`${runnerId}-1`]));
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a failed lookup keeps the attempt open too', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    fx.ec2.acceptThenThrottle(0);
    fx.ec2.lookupFailures = 1;
    expect(await scaleUp(fx.deps, await queued(fx), 'first')).toMatchObject({ kind: 'retry' });
    expect(await runner(fx)).toMatchObject({ status: 'launching', attempt: 1 });
  });
});

describe('removing a runner without a recorded machine', () => {
  it('terminates the machine its launch key started before giving the slot back', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    fx.ec2.acceptThenThrottle(5);
    fx.ec2.lookupsMissing = 1;
    await scaleUp(fx.deps, await queued(fx), 'first');
    expect(await retireRunner(fx.deps, runnerId, 'launch-stalled', 'scale-down')).toMatchObject({
      kind: 'retired',
    });
    expect(fx.ec2.alive()).toBe(0);
    expect(await slots(fx)).toBe(0);
  });

  it('keeps the slot while a launch call may still be in flight, and gives it back once none can be', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.ec2.lookupsMissing = 10;
    fx.ec2.acceptThenThrottle(0);
    // The machine is never listed (the lookups miss it) until the listing catches up.
    await scaleUp(fx.deps, message, 'first');
    expect(await retireRunner(fx.deps, runnerId, 'launch-stalled', 'scale-down')).toMatchObject({
      kind: 'not-retired',
      detail: 'a launch may still be in flight',
    });
    expect(await slots(fx)).toBe(1);
    fx.ec2.lookupsMissing = 0;
    expect(await resumeTermination(fx.deps, runnerId, 'scale-down')).toMatchObject({ kind: 'retired' });
    expect(fx.ec2.alive()).toBe(0);
    expect(await slots(fx)).toBe(0);
  });

  it('gives the slot back once the settle time after the last call passed and no machine was found', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'insufficient-capacity',
      retryable: true,
      errorCodes: [],
      detail: 'none',
    });
    await scaleUp(fx.deps, message, 'first');
    expect(await runner(fx)).toMatchObject({ status: 'requested', launchAttempts: 1 });
    await retireRunner(fx.deps, runnerId, 'launch-stalled', 'scale-down');
    expect(await slots(fx)).toBe(1);
    fx.clock.advanceSeconds(fx.deps.options.launchSettleSeconds);
    expect(await resumeTermination(fx.deps, runnerId, 'scale-down')).toMatchObject({ kind: 'retired' });
    expect(await slots(fx)).toBe(0);
  });
});
