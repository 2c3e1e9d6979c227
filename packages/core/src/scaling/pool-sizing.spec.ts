import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BASE_TIME, poolConfigArb, runnersArb } from '../testing/arbitraries';
import { JobId } from '../shared/brand';
import { activeIdleWindow } from './idle-schedule';
import { pool, runner } from './policy-fixtures';
import { poolTargetSize, runnersToAdd } from './pool-sizing';

const MONDAY_10 = '2026-03-02T10:00:00.000Z';

describe('activeIdleWindow', () => {
  it('returns the first window that is on, in configuration order', () => {
    const p = pool({
      idleWindows: [
        { cron: '* * 9-17 * * 1-5', idleCount: 2, evictionStrategy: 'newest-first' },
        { cron: '* * * * * *', idleCount: 5 },
      ],
    });
    expect(activeIdleWindow(p, MONDAY_10)).toEqual({ idleCount: 2, evictionStrategy: 'newest-first' });
    expect(activeIdleWindow(p, '2026-03-02T20:00:00.000Z')).toEqual({
      idleCount: 5,
      evictionStrategy: 'oldest-first',
    });
  });
  it('keeps nothing idle when no window is on', () => {
    const p = pool({ idleWindows: [{ cron: '* * 9-17 * * 1-5', idleCount: 2 }] });
    expect(activeIdleWindow(p, '2026-03-01T10:00:00.000Z')).toEqual({
      idleCount: 0,
      evictionStrategy: 'oldest-first',
    });
  });
});

describe('poolTargetSize', () => {
  const p = pool({
    poolSchedules: [
      { cron: '* * 8-18 * * 1-5', size: 3 },
      { cron: '* * * * * *', size: 1 },
    ],
  });
  it('is the size of the first schedule that is on', () => {
    expect(poolTargetSize(p, MONDAY_10)).toBe(3);
    expect(poolTargetSize(p, '2026-03-01T10:00:00.000Z')).toBe(1);
  });
  it('is 0 without schedules', () => {
    expect(poolTargetSize(pool(), MONDAY_10)).toBe(0);
  });
});

describe('runnersToAdd', () => {
  it('adds the difference between the target and idle or starting runners not tied to a job', () => {
    const runners = [
      runner('idle'),
      runner('starting', { status: 'launching', launchedAt: null, online: false }),
      runner('for-a-job', { status: 'requested', requestedForJobId: JobId(7), online: false }),
      runner('busy', { status: 'busy', currentJobId: JobId(8) }),
    ];
    expect(runnersToAdd(pool(), 5, runners)).toBe(3);
  });
  it('never takes alive runners past the maximum', () => {
    const runners = [runner('busy-1', { status: 'busy' }), runner('busy-2', { status: 'busy' })];
    expect(runnersToAdd(pool({ maxRunners: 3 }), 4, runners)).toBe(1);
  });
  it('has no ceiling when the maximum is -1', () => {
    expect(runnersToAdd(pool({ maxRunners: -1 }), 40, [])).toBe(40);
  });
  it('adds nothing when the pool already has more than the target', () => {
    expect(runnersToAdd(pool(), 1, [runner('a'), runner('b')])).toBe(0);
  });

  it('never makes alive runners exceed the maximum, and is never negative (property)', () => {
    fc.assert(
      fc.property(
        poolConfigArb('pool-a').chain((p) =>
          fc.tuple(fc.constant(p), runnersArb(p.id, BASE_TIME), fc.integer({ min: 0, max: 20 })),
        ),
        ([p, runners, target]) => {
          const add = runnersToAdd(p, target, runners);
          expect(add).toBeGreaterThanOrEqual(0);
          const alive = runners.filter((r) => !['terminated', 'launch_failed'].includes(r.status)).length;
          if (p.maxRunners >= 0) expect(add === 0 || alive + add <= p.maxRunners).toBe(true);
        },
      ),
    );
  });
});
