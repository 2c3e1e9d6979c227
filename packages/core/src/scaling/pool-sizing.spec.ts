import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BASE_TIME, poolConfigArb, runnersArb } from '../testing/arbitraries';
import { JobId, toIso, toMillis } from '../shared/brand';
import { activeIdleWindow } from './idle-schedule';
import { pool, runner } from './policy-fixtures';
import { poolTargetSize, runnersToAdd } from './pool-sizing';
import { nextOccurrence } from './schedule';

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
  // The office-hours pool of the multi-runner example: 3 warm from 08:00, none from 19:00.
  const officeHours = pool({
    poolSchedules: [
      { cron: '0 0 8 * * 1-5', timeZone: 'Europe/Amsterdam', size: 3 },
      { cron: '0 0 19 * * 1-5', timeZone: 'Europe/Amsterdam', size: 0 },
    ],
  });
  it('holds a size from its firing until the next schedule of the pool fires', () => {
    expect(poolTargetSize(officeHours, '2026-03-02T06:59:59.000Z')).toBe(0); // Mon 07:59:59 local
    expect(poolTargetSize(officeHours, '2026-03-02T07:00:00.000Z')).toBe(3); // Mon 08:00 local
    expect(poolTargetSize(officeHours, MONDAY_10)).toBe(3);
    expect(poolTargetSize(officeHours, '2026-03-02T17:59:00.000Z')).toBe(3); // Mon 18:59 local
    expect(poolTargetSize(officeHours, '2026-03-02T18:00:00.000Z')).toBe(0); // Mon 19:00 local
    expect(poolTargetSize(officeHours, '2026-03-07T12:00:00.000Z')).toBe(0); // Saturday
  });
  it('holds a lone schedule’s size over the weekend, as nothing takes over', () => {
    const p = pool({ poolSchedules: [{ cron: '0 30 7 * * 1-5', timeZone: 'Europe/Berlin', size: 2 }] });
    expect(poolTargetSize(p, '2026-03-07T12:00:00.000Z')).toBe(2);
  });
  it('gives a tie at the same instant to the first schedule in configuration order', () => {
    const p = pool({
      poolSchedules: [
        { cron: '* * 8-18 * * 1-5', size: 3 },
        { cron: '* * * * * *', size: 1 },
      ],
    });
    expect(poolTargetSize(p, MONDAY_10)).toBe(3);
    expect(poolTargetSize(p, '2026-03-01T10:00:00.000Z')).toBe(1);
  });
  it('reads EventBridge and 5-field crons like the 6-field form', () => {
    const p = pool({
      poolSchedules: [
        { cron: 'cron(0 8 ? * MON-FRI *)', size: 4 },
        { cron: '0 19 * * 1-5', size: 0 },
      ],
    });
    expect(poolTargetSize(p, MONDAY_10)).toBe(4);
    expect(poolTargetSize(p, '2026-03-02T19:00:00.000Z')).toBe(0);
  });
  it('is 0 when no schedule fired within the look-back window', () => {
    const newYear = pool({ poolSchedules: [{ cron: '0 0 0 1 1 *', size: 5 }] });
    expect(poolTargetSize(newYear, '2026-01-20T00:00:00.000Z')).toBe(5);
    expect(poolTargetSize(newYear, '2026-03-02T00:00:00.000Z')).toBe(0);
  });
  it('is 0 without schedules', () => {
    expect(poolTargetSize(pool(), MONDAY_10)).toBe(0);
  });
  it('changes only when one of the pool’s schedules fires, to that schedule’s size (property)', () => {
    fc.assert(
      fc.property(
        poolConfigArb('p'),
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        fc.integer({ min: 0, max: 600 }),
        (p, minute, probe) => {
          if (p.poolSchedules.length === 0) return;
          const at = toIso(toMillis(BASE_TIME) + minute * 60_000);
          const firings = p.poolSchedules.map((s) => toMillis(nextOccurrence(s.cron, s.timeZone, at)));
          const next = Math.min(...firings);
          // Anywhere before the next firing, the size is the one at `at`...
          const before = Math.min(toMillis(at) + probe * 1000, next - 1);
          expect(poolTargetSize(p, toIso(before))).toBe(poolTargetSize(p, at));
          // ...and at it, the first schedule firing then sets it.
          const first = p.poolSchedules[firings.indexOf(next)];
          expect(poolTargetSize(p, toIso(next))).toBe(first?.size);
        },
      ),
      { numRuns: 60 },
    );
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
