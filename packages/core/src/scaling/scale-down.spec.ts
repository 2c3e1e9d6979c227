import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BASE_TIME, idleWindowArb, poolConfigArb, runnersWithRegistrationsArb } from '../testing/arbitraries';
import { PoolId } from '../shared/brand';
import { activeIdleWindow } from './idle-schedule';
import { pool, runner } from './policy-fixtures';
import { poolTargetSize } from './pool-sizing';
import { selectForScaleDown } from './scale-down';
import type { RegisteredRunnerView, RunnerView } from './views';

const NOW = '2026-03-02T10:00:00.000Z'; // Monday 10:00 UTC
const registered = (r: RunnerView, busy = false): [string, RegisteredRunnerView] => [
  r.runnerName ?? '',
  { githubRunnerId: 1, name: r.runnerName ?? '', status: 'online', busy, labels: [] },
];
const select = (
  p = pool(),
  runners: RunnerView[],
  registrations = new Map(runners.map((r) => registered(r))),
  known = true,
) => selectForScaleDown({ pool: p, runners, registrations, registrationsKnown: known, now: NOW });

describe('selectForScaleDown', () => {
  describe('given idle runners past the minimum running time and no idle window', () => {
    it('selects every one of them as idle and asks to deregister first', () => {
      expect(select(pool(), [runner('a'), runner('b')])).toEqual([
        { runnerId: 'a', reason: 'idle', deregister: true },
        { runnerId: 'b', reason: 'idle', deregister: true },
      ]);
    });
  });
  describe('given an idle runner younger than the minimum running time', () => {
    it('keeps it', () => {
      expect(select(pool({ minimumRunningTimeMinutes: 180 }), [runner('a')])).toEqual([]);
    });
  });
  describe('given a busy runner', () => {
    it('never selects it, whatever its age', () => {
      expect(select(pool(), [runner('a', { status: 'busy', currentJobId: null })])).toEqual([]);
    });
    it('never selects an idle runner that GitHub reports busy', () => {
      const r = runner('a');
      expect(select(pool(), [r], new Map([registered(r, true)]))).toEqual([]);
    });
  });
  describe('given an office-hours idle window keeping 2', () => {
    const windowed = (strategy: 'oldest-first' | 'newest-first') =>
      pool({ idleWindows: [{ cron: '* * 9-17 * * 1-5', idleCount: 2, evictionStrategy: strategy }] });
    const runners = [
      runner('old', { launchedAt: '2026-03-02T07:00:00.000Z' }),
      runner('mid', { launchedAt: '2026-03-02T08:00:00.000Z' }),
      runner('new', { launchedAt: '2026-03-02T09:00:00.000Z' }),
    ];
    it('evicts the runner launched first with oldest-first', () => {
      expect(select(windowed('oldest-first'), runners).map((s) => s.runnerId)).toEqual(['old']);
    });
    it('evicts the runner launched last with newest-first', () => {
      expect(select(windowed('newest-first'), runners).map((s) => s.runnerId)).toEqual(['new']);
    });
    it('keeps none outside the window', () => {
      const evening = selectForScaleDown({
        pool: windowed('oldest-first'),
        runners,
        registrations: new Map(runners.map((r) => registered(r))),
        registrationsKnown: true,
        now: '2026-03-02T20:00:00.000Z',
      });
      expect(evening).toHaveLength(3);
    });
  });
  describe('given a runner that never finished launching', () => {
    it('selects a requested runner older than the launch stall limit as launch-stalled', () => {
      const r = runner('a', {
        status: 'requested',
        requestedAt: '2026-03-02T09:40:00.000Z',
        launchedAt: null,
        online: false,
      });
      expect(select(pool(), [r])).toEqual([{ runnerId: 'a', reason: 'launch-stalled', deregister: false }]);
    });
    it('keeps a launching runner younger than the launch stall limit', () => {
      const r = runner('a', {
        status: 'launching',
        requestedAt: '2026-03-02T09:50:00.000Z',
        launchedAt: null,
        online: false,
      });
      expect(select(pool(), [r])).toEqual([]);
    });
  });
  describe('given a launched runner that is not online', () => {
    const launched = (at: string) =>
      runner('a', { status: 'launched', launchedAt: at, online: false, idleSince: null });
    it('selects it as boot-timeout after the boot time', () => {
      const r = launched('2026-03-02T09:50:00.000Z');
      expect(select(pool(), [r], new Map())).toEqual([
        { runnerId: 'a', reason: 'boot-timeout', deregister: false },
      ]);
    });
    it('keeps it within the boot time', () => {
      expect(select(pool(), [launched('2026-03-02T09:57:00.000Z')], new Map())).toEqual([]);
    });
    it('keeps it when GitHub already reports it online (our view lags)', () => {
      const r = launched('2026-03-02T09:00:00.000Z');
      expect(select(pool({ minimumRunningTimeMinutes: 600 }), [r])).toEqual([]);
    });
  });
  describe('given an online runner whose registration is gone', () => {
    it('selects it as registration-lost when the listing is known', () => {
      expect(select(pool(), [runner('a')], new Map())).toEqual([
        { runnerId: 'a', reason: 'registration-lost', deregister: false },
      ]);
    });
    it('judges nothing lost when GitHub could not be listed', () => {
      expect(select(pool({ minimumRunningTimeMinutes: 600 }), [runner('a')], new Map(), false)).toEqual([]);
    });
  });
  it('never re-selects a terminating runner', () => {
    expect(select(pool(), [runner('a', { status: 'terminating' })])).toEqual([]);
  });
  it('ignores runners of other pools', () => {
    expect(select(pool(), [runner('a', { poolId: PoolId('other') })])).toEqual([]);
  });

  describe('properties', () => {
    const scenario = fc
      .tuple(poolConfigArb('pool-a'), fc.array(idleWindowArb, { maxLength: 2 }))
      .chain(([p]) => fc.tuple(fc.constant(p), runnersWithRegistrationsArb(p.id, BASE_TIME)));
    it('never selects a runner that is busy by our view or by GitHub', () => {
      fc.assert(
        fc.property(scenario, fc.boolean(), ([p, { runners, registrations }], known) => {
          const selected = new Set(
            selectForScaleDown({
              pool: p,
              runners,
              registrations,
              registrationsKnown: known,
              now: BASE_TIME,
            }).map((s) => s.runnerId),
          );
          for (const r of runners) {
            const githubBusy = r.runnerName !== null && registrations.get(r.runnerName)?.busy === true;
            if (r.status === 'busy' || githubBusy) expect(selected.has(r.runnerId)).toBe(false);
            if (r.status === 'terminating' || r.status === 'terminated')
              expect(selected.has(r.runnerId)).toBe(false);
          }
        }),
      );
    });
    it('never takes the idle runners below the active window count', () => {
      fc.assert(
        fc.property(scenario, ([p, { runners, registrations }]) => {
          const selections = selectForScaleDown({
            pool: p,
            runners,
            registrations,
            registrationsKnown: true,
            now: BASE_TIME,
          });
          const selected = new Set(selections.map((s) => s.runnerId));
          // Idle = waiting for a job: our status idle, or launched and online at GitHub, not busy.
          const idleBefore = runners.filter((r) => {
            const registration = r.runnerName ? registrations.get(r.runnerName) : undefined;
            if (registration?.busy) return false;
            const waiting =
              r.status === 'idle' ||
              (r.status === 'launched' && (r.online || registration?.status === 'online'));
            return (
              waiting && selections.find((s) => s.runnerId === r.runnerId)?.reason !== 'registration-lost'
            );
          });
          const idleAfter = idleBefore.filter((r) => !selected.has(r.runnerId)).length;
          const keep = Math.max(activeIdleWindow(p, BASE_TIME).idleCount, poolTargetSize(p, BASE_TIME));
          expect(idleAfter).toBeGreaterThanOrEqual(Math.min(keep, idleBefore.length));
        }),
      );
    });
    it('gives the same selection whatever the order of the runners', () => {
      fc.assert(
        fc.property(scenario, fc.func(fc.integer()), ([p, { runners, registrations }], order) => {
          const shuffled = [...runners].sort((a, b) => order(a.runnerId) - order(b.runnerId));
          const run = (rs: RunnerView[]) =>
            selectForScaleDown({
              pool: p,
              runners: rs,
              registrations,
              registrationsKnown: true,
              now: BASE_TIME,
            });
          expect(run(shuffled)).toEqual(run(runners));
        }),
      );
    });
  });
});
