import { describe, expect, it } from '@jest/globals';
import { pool, runner } from './policy-fixtures';
import { selectForScaleDown } from './scale-down';
import type { RegisteredRunnerView, RunnerView } from './views';

// Rules of selectForScaleDown that scale-down.spec.ts does not pin: where the keep count comes
// from, how the minimum running time interacts with the eviction order, and when a removal
// deregisters first.
const NOW = '2026-03-02T10:00:00.000Z'; // Monday 11:00 in Amsterdam
const online = (
  r: RunnerView,
  status: RegisteredRunnerView['status'] = 'online',
): [string, RegisteredRunnerView] => [
  r.runnerName ?? '',
  { githubRunnerId: 1, name: r.runnerName ?? '', status, busy: false, labels: [] },
];
const select = (
  p: ReturnType<typeof pool>,
  runners: RunnerView[],
  registrations?: Map<string, RegisteredRunnerView>,
) =>
  selectForScaleDown({
    pool: p,
    runners,
    registrations: registrations ?? new Map(runners.map((r) => online(r))),
    registrationsKnown: true,
    now: NOW,
  });
const launchedAt = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;

describe('selectForScaleDown keep count', () => {
  const idle = ['a', 'b', 'c', 'd'].map((id, i) => runner(id, { launchedAt: launchedAt(`0${5 + i}:00`) }));

  describe('given a pool schedule larger than the active idle window', () => {
    it('keeps the schedule size: top-up would only launch the runners again', () => {
      const p = pool({
        idleWindows: [{ cron: '* * 9-17 * * 1-5', timeZone: 'Europe/Amsterdam', idleCount: 1 }],
        poolSchedules: [{ cron: '* * 8-18 * * *', timeZone: 'Europe/Amsterdam', size: 3 }],
      });
      expect(select(p, idle).map((s) => s.runnerId)).toEqual(['a']);
    });
  });

  describe('given an idle window larger than the pool schedule', () => {
    it('keeps the window count', () => {
      const p = pool({
        idleWindows: [{ cron: '* * 9-17 * * 1-5', timeZone: 'Europe/Amsterdam', idleCount: 3 }],
        poolSchedules: [{ cron: '* * 8-18 * * *', timeZone: 'Europe/Amsterdam', size: 1 }],
      });
      expect(select(p, idle).map((s) => s.runnerId)).toEqual(['a']);
    });
  });

  describe('given a pool schedule whose size was taken over by a size-0 schedule', () => {
    it('keeps nothing for it', () => {
      const p = pool({
        poolSchedules: [
          { cron: '0 0 20 * * *', size: 3 },
          { cron: '0 0 22 * * *', size: 0 },
        ],
      });
      expect(select(p, idle)).toHaveLength(4);
    });
  });

  describe('given a point schedule that fired hours ago and nothing took over since', () => {
    it('still keeps its size: the warm pool holds until the next schedule fires', () => {
      const p = pool({
        poolSchedules: [
          { cron: '0 0 8 * * 1-5', timeZone: 'Europe/Amsterdam', size: 3 },
          { cron: '0 0 19 * * 1-5', timeZone: 'Europe/Amsterdam', size: 0 },
        ],
      });
      expect(select(p, idle).map((s) => s.runnerId)).toEqual(['a']);
    });
  });

  describe('given newest-first eviction and a newest runner younger than the minimum running time', () => {
    it('passes over the young runner and evicts the next ones, never more than idle minus keep', () => {
      const p = pool({
        minimumRunningTimeMinutes: 5,
        idleWindows: [{ cron: '* * * * * *', idleCount: 1, evictionStrategy: 'newest-first' }],
      });
      const runners = [
        runner('old', { launchedAt: launchedAt('07:00') }),
        runner('mid', { launchedAt: launchedAt('08:00') }),
        runner('young', { launchedAt: launchedAt('09:58') }),
      ];
      expect(select(p, runners).map((s) => s.runnerId)).toEqual(['mid', 'old']);
    });
  });

  describe('given oldest-first eviction and every runner younger than the minimum running time', () => {
    it('removes none of them', () => {
      const p = pool({ minimumRunningTimeMinutes: 30 });
      const runners = [
        runner('a', { launchedAt: launchedAt('09:40') }),
        runner('b', { launchedAt: launchedAt('09:45') }),
      ];
      expect(select(p, runners)).toEqual([]);
    });
  });

  describe('given a runner that never launched', () => {
    it('measures its age for eviction from when it was requested', () => {
      const p = pool({ minimumRunningTimeMinutes: 30 });
      const r = runner('a', { launchedAt: null, requestedAt: launchedAt('09:50') });
      expect(select(p, [r])).toEqual([]);
    });
  });
});

describe('selectForScaleDown on launched runners', () => {
  const launched = (overrides: Partial<RunnerView> = {}) =>
    runner('a', {
      status: 'launched',
      launchedAt: launchedAt('09:00'),
      online: false,
      idleSince: null,
      ...overrides,
    });

  it('deregisters a boot-timed-out runner first when GitHub holds an offline registration for it', () => {
    const r = launched();
    expect(select(pool(), [r], new Map([online(r, 'offline')]))).toEqual([
      { runnerId: 'a', reason: 'boot-timeout', deregister: true },
    ]);
  });

  it('keeps a launched runner we saw online until its time online is recorded (GitHub’s busy flag lags)', () => {
    expect(select(pool(), [launched({ online: true })])).toEqual([]);
  });

  it('selects a launched runner we saw online as registration-lost when GitHub no longer lists it', () => {
    expect(select(pool(), [launched({ online: true })], new Map())).toEqual([
      { runnerId: 'a', reason: 'registration-lost', deregister: false },
    ]);
  });

  it('judges no registration lost for a runner that has no name yet', () => {
    expect(
      select(pool({ minimumRunningTimeMinutes: 600 }), [runner('a', { runnerName: null })], new Map()),
    ).toEqual([]);
  });
});
