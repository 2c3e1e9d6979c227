import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { DependencyError } from '../shared/errors';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

// GitHub gave a job to a runner idle for longer than the busy flag's lag, and both of the job's
// deliveries failed at our endpoint: nothing we record shows the job, and GitHub lists the runner
// idle (and lets it be deleted) for up to a minute. GitHub's delivery log does show the failed
// deliveries; until they are redelivered (and so recorded), no idle runner is deleted.
const reusable = poolConfig({ id: 'linux', maxRunners: 2, ephemeral: false, minimumRunningTimeMinutes: 1 });

/** A reusable runner idle for ten minutes, as recorded and as GitHub lists it. */
async function idleRunner(fx: ScalerFixture): Promise<void> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 70, fx.clock.now()));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
  const name = runnerNameFor(reusable, runnerIdForJob(JobId(70), 1));
  fx.registry.selfRegister(name, { level: 'org', owner: reusable.owner }, reusable.labels);
  for (const action of ['in_progress', 'completed'] as const)
    await recordWorkflowJob(fx.deps, workflowJobFact(action, 70, fx.clock.now(), { runnerName: name }));
  for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
  fx.clock.advanceMinutes(10);
}

const deletes = (fx: ScalerFixture) => fx.registry.calls.filter((call) => call === 'deleteRunner');

describe('scale-down while GitHub’s delivery log shows a failed workflow_job delivery', () => {
  it('keeps an idle runner while a failed delivery is redelivered, and retires it once none is left', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await idleRunner(fx);
    fx.registry.redeliverable = 1;
    expect(await scaleDown(fx.deps, 'cycle-1')).toMatchObject({ retired: 0 });
    expect(deletes(fx)).toEqual([]);
    expect(fx.registry.calls).toContain('redeliverFailed');
    fx.clock.advanceMinutes(1);
    expect(await scaleDown(fx.deps, 'cycle-2')).toMatchObject({ retired: 1 });
    expect(deletes(fx)).toEqual(['deleteRunner']);
  });

  it('keeps an idle runner when the delivery log cannot be read', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await idleRunner(fx);
    const unreadable = {
      redeliverFailed: () =>
        Promise.reject(new DependencyError('github', 'redeliverFailed', 'HTTP 502 Bad Gateway', true)),
    };
    expect(await scaleDown({ ...fx.deps, recovery: unreadable }, 'cycle-1')).toMatchObject({ retired: 0 });
    expect(deletes(fx)).toEqual([]);
  });

  it('reads the delivery log only in a cycle that would retire an idle runner', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await idleRunner(fx);
    const name = runnerNameFor(reusable, runnerIdForJob(JobId(70), 1));
    fx.registry.setRunner(name, { busy: true });
    fx.registry.redeliverable = 1;
    expect(await scaleDown(fx.deps, 'cycle-1')).toMatchObject({ retired: 0 });
    expect(fx.registry.calls).not.toContain('redeliverFailed');
  });
});

describe('a termination whose deregistration failed, resumed a cycle later', () => {
  it('is not resumed while a job routed since may have started on the still-registered runner', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await idleRunner(fx);
    const failingDelete = new Proxy(fx.registry, {
      get: (target, key) =>
        key === 'deleteRunner'
          ? () => Promise.reject(new DependencyError('github', 'deleteRunner', 'HTTP 502 Bad Gateway', true))
          : (Reflect.get(target, key) as unknown),
    });
    await scaleDown({ ...fx.deps, registry: failingDelete }, 'cycle-1');
    expect(deletes(fx)).toEqual([]);
    // Two minutes later a job is queued and routed; GitHub gives it to the runner, still
    // registered, and still lists it idle (its busy flag lags); the in_progress failed.
    fx.clock.advanceMinutes(2);
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 71, fx.clock.now()));
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
    expect(await scaleDown(fx.deps, 'cycle-2')).toMatchObject({ retired: 0 });
    expect(deletes(fx)).toEqual([]);
  });
});
