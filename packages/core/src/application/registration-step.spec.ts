import { describe, expect, it } from '@jest/globals';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf } from '../runner/runner.state';
import { JobId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import type { ScaleUpMessage } from './messages';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

/** Crash points of the registration step (reasoning in registration-step.ts). */
const pool = poolConfig({ id: 'linux', ephemeral: true });
const runnerId = runnerIdForJob(JobId(700), 1);
const name = runnerNameFor(pool, runnerId);

async function queued(fx: ScalerFixture): Promise<ScaleUpMessage> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 700, fx.clock.now()));
  const [message] = fx.scaleUpQueue.take();
  if (!message) throw new Error('no scale-up message');
  return message;
}

const machine = async (fx: ScalerFixture) =>
  machineOf((await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state);
const jitCalls = (fx: ScalerFixture) => fx.registry.calls.filter((c) => c === 'createJitConfig').length;
const secretOf = async (fx: ScalerFixture) => fx.secrets.valueOf(runnerId) ?? '';
const liveIdOf = (fx: ScalerFixture) => fx.registry.byName(name)?.githubRunnerId;

describe('the registration step', () => {
  it('a second invocation within the lease does nothing visible: no GitHub call, no secret write', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.failuresRemaining = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('502');
    const calls = fx.registry.calls.length;
    await scaleUp(fx.deps, message, 'duplicate');
    expect(fx.registry.calls.length).toBe(calls);
    expect(fx.secrets.valueOf(runnerId)).toBeNull();
  });

  it('a claim whose holder died before calling GitHub is taken over after the lease: one config, written once', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.failuresRemaining = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('502');
    fx.clock.advanceSeconds(fx.deps.options.registrationLeaseSeconds);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(await secretOf(fx)).toContain(`:${liveIdOf(fx)}"`);
    expect(await machine(fx)).toMatchObject({
      registration: { runnerName: name, githubRunnerId: liveIdOf(fx) },
      registering: { attempt: 2, delivered: true },
    });
  });

  it('GitHub accepted but its answer was lost: the unused registration is replaced and the secret belongs to the live one', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.answersLost = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('socket hang up');
    const abandoned = liveIdOf(fx);
    fx.clock.advanceSeconds(fx.deps.options.registrationLeaseSeconds);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(fx.registry.registrations.has(abandoned ?? -1)).toBe(false);
    expect(await secretOf(fx)).toContain(`:${liveIdOf(fx)}"`);
    expect(jitCalls(fx)).toBe(3);
  });

  it('a name taken by a registration GitHub shows online is adopted, never deleted, and no secret is written', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.answersLost = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('socket hang up');
    fx.registry.setRunner(name, { status: 'online' });
    const live = liveIdOf(fx);
    fx.clock.advanceSeconds(fx.deps.options.registrationLeaseSeconds);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(liveIdOf(fx)).toBe(live);
    expect(fx.registry.calls).not.toContain('deleteRunner');
    expect(fx.secrets.valueOf(runnerId)).toBeNull();
    expect(await machine(fx)).toMatchObject({ registration: { githubRunnerId: live } });
  });

  it('scale-down never sweeps the registration of a live runner whose name is not recorded yet', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.answersLost = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('socket hang up');
    const registration = liveIdOf(fx);
    await scaleDown(fx.deps, 'scale-down');
    expect(fx.registry.registrations.has(registration ?? -1)).toBe(true);
  });

  it('a GitHub failure after the launch is retried in time: the machine waits for its config past the boot timeout, which then runs from the delivery', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    fx.registry.failuresRemaining = 1;
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('502');
    // SQS hands the message out again after its visibility timeout (6 minutes in the module);
    // scale-down runs every minute meanwhile, and the machine's boot script waits 13 minutes.
    const scaleDownFor = async (minutes: number) => {
      for (let minute = 0; minute < minutes; minute += 1) {
        fx.clock.advanceSeconds(60);
        await scaleDown(fx.deps, `scale-down-${minute}`);
      }
    };
    await scaleDownFor(6);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(await secretOf(fx)).toContain(`:${liveIdOf(fx)}"`);
    await scaleDownFor(pool.bootTimeMinutes - 1);
    const state = (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;
    expect(state.status).toBe('launched');
    await scaleDownFor(1);
    expect((await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state).toMatchObject({
      reason: 'boot-timeout',
    });
  });

  it('a crash after GitHub created the registration is never followed by a second config', async () => {
    const fx = scalerFixture(scalerSettings([pool]));
    const message = await queued(fx);
    const failingPut: ScalerDeps = {
      ...fx.deps,
      secrets: Object.assign(Object.create(fx.secrets) as typeof fx.secrets, {
        put: async () => {
          throw new Error('killed before the secret write');
        },
      }),
    };
    await expect(scaleUp(failingPut, message, 'first')).rejects.toThrow('killed');
    fx.clock.advanceSeconds(10 * fx.deps.options.registrationLeaseSeconds);
    await scaleUp(fx.deps, message, 'redelivery');
    expect(jitCalls(fx)).toBe(1);
    expect(fx.secrets.valueOf(runnerId)).toBeNull();
    expect(await machine(fx)).toMatchObject({
      registration: { runnerName: name, githubRunnerId: liveIdOf(fx) },
      registering: { attempt: 1, delivered: false },
    });
  });
});
