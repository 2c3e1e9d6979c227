import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';
import { topUpPools } from './top-up-pools';

// A configuration that never went through the loader (or a bug in a policy) must cost one
// pool its run, not every pool after it. The crons below are ones the loader refuses.
const broken = poolConfig({
  id: 'broken',
  labels: ['self-hosted', 'gpu'],
  idleWindows: [{ cron: 'rate(5 minutes)', idleCount: 1 }],
  poolSchedules: [{ cron: 'cron(* * * * ? 2020-2030)', size: 1 }],
});
const reusable = poolConfig({ id: 'linux', ephemeral: false, minimumRunningTimeMinutes: 5 });

describe('scale-down with one pool whose policy fails', () => {
  it('still retires the idle runners of the pools after it, and records the failed pool', async () => {
    const fx = scalerFixture(scalerSettings([broken, reusable]));
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 1, fx.clock.now()));
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
    const name = runnerNameFor(reusable, runnerIdForJob(JobId(1), 1));
    fx.registry.setRunner(name, { status: 'online' });
    for (const action of ['in_progress', 'completed'] as const)
      await recordWorkflowJob(fx.deps, workflowJobFact(action, 1, fx.clock.now(), { runnerName: name }));
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
    fx.clock.advanceMinutes(10);

    const report = await scaleDown(fx.deps, 'tick');

    expect(report).toMatchObject({ retired: 1, failedPools: ['broken'] });
    expect(fx.ec2.alive()).toBe(0);
    expect(fx.metrics.points.filter((p) => p.name === 'PoolPolicyFailed')).toEqual([
      { name: 'PoolPolicyFailed', value: 1, unit: 'Count', dimensions: { pool: 'broken' } },
    ]);
    expect(fx.logger.lines.find((line) => line.level === 'error')).toMatchObject({
      message: 'Pool policy failed; the other pools carry on',
      attributes: {
        pool: 'broken',
        operation: 'scale-down',
        error: expect.stringContaining('rate(5 minutes)'),
      },
    });
  });
});

describe('pool top-up with one pool whose schedule fails', () => {
  it('still tops up the pools after it, and records the failed pool', async () => {
    const warm = poolConfig({ id: 'warm', poolSchedules: [{ cron: '* * * * * *', size: 2 }] });
    const fx = scalerFixture(scalerSettings([broken, warm]));

    const report = await topUpPools(fx.deps, 'tick');

    expect(report).toEqual({ requested: { warm: 2 }, failedPools: ['broken'] });
    expect(fx.metrics.points.filter((p) => p.name === 'PoolPolicyFailed')).toEqual([
      { name: 'PoolPolicyFailed', value: 1, unit: 'Count', dimensions: { pool: 'broken' } },
    ]);
    expect(fx.logger.lines.find((line) => line.level === 'error')?.attributes).toMatchObject({
      pool: 'broken',
      operation: 'top-up',
      error: expect.stringContaining('year must be *'),
    });
  });
});
