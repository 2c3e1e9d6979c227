import { describe, expect, it } from '@jest/globals';
import { WAIT_REASON_CODES } from '../read/wait-reason-types';
import { poolConfig, scalerFixture, scalerSettings } from '../testing/scaler-fixture';
import { queueJob, serveQueued } from '../testing/scaler-steps';
import { reconcile } from './reconcile';

describe('the reconciler publishes why jobs wait', () => {
  it('counts waiting jobs per reason (zeros too, unroutable never waits) and the oldest wait per pool', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    await queueJob(fx, 1);
    await serveQueued(fx);
    fx.clock.advanceMinutes(1);
    await queueJob(fx, 2);
    await serveQueued(fx);
    fx.clock.advanceMinutes(2);
    const report = await reconcile(fx.deps, 'spec');
    expect(report.jobsWaiting).toBe(2);
    const waiting = fx.metrics.points.filter((point) => point.name === 'JobsWaiting');
    expect(waiting.map((point) => point.dimensions.reason).sort()).toEqual(
      WAIT_REASON_CODES.filter((code) => code !== 'unroutable').sort(),
    );
    const count = (reason: string) => waiting.find((point) => point.dimensions.reason === reason)?.value;
    expect([count('runner-booting'), count('pool-at-max'), count('gave-up')]).toEqual([1, 1, 0]);
    expect(fx.metrics.points.filter((point) => point.name === 'OldestJobWaitSeconds')).toEqual([
      { name: 'OldestJobWaitSeconds', value: 180, unit: 'Seconds', dimensions: { pool: 'linux' } },
    ]);
  });

  it('counts a job no pool can serve in JobsUnroutable{reason} once, when it is marked (it never waits in JobsWaiting)', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    await queueJob(fx, 1, ['self-hosted', 'gpu']);
    await queueJob(fx, 1, ['self-hosted', 'gpu']);
    expect(fx.metrics.points.filter((point) => point.name === 'JobsUnroutable')).toEqual([
      { name: 'JobsUnroutable', value: 1, unit: 'Count', dimensions: { reason: 'no-matching-pool' } },
    ]);
  });
});
