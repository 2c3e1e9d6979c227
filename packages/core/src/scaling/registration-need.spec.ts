import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BASE_TIME, poolConfigArb, registrationOfArb, runnerViewArb } from '../testing/arbitraries';
import { listingMayRecord, registrationsCanMatter, scaleDownMayAct } from './registration-need';
import { selectForScaleDown } from './scale-down';
import type { RegisteredRunnerView, RunnerView } from './views';
import { JobId } from '../shared/brand';
import { pool, runner } from './policy-fixtures';

/** A pool and its runners, young and old, launched ones online or not, with GitHub's view. */
const scenario = poolConfigArb('pool-a').chain((p) =>
  fc
    .uniqueArray(
      fc
        .tuple(runnerViewArb(p.id, BASE_TIME, 30), fc.boolean())
        .map(([r, online]): RunnerView =>
          r.status === 'launched' ? { ...r, online, runnerName: r.runnerName ?? `${r.runnerId}` } : r,
        ),
      { maxLength: 6, selector: (r) => r.runnerId },
    )
    .chain((runners) =>
      fc.tuple(...runners.map(registrationOfArb)).map((found) => {
        const registrations = new Map<string, RegisteredRunnerView>();
        found.forEach((registration, i) => {
          const name = runners[i]?.runnerName;
          if (registration && name) registrations.set(name, { ...registration, name });
        });
        return { pool: p, runners, registrations };
      }),
    ),
);

describe('registrationsCanMatter (may scale-down skip listing GitHub runners?)', () => {
  it('when it says no, the selection is the same whatever GitHub would have listed', () => {
    let skipped = 0;
    fc.assert(
      fc.property(scenario, ({ pool: p, runners, registrations }) => {
        if (registrationsCanMatter({ pool: p, runners, now: BASE_TIME })) return;
        skipped += 1;
        const listed = selectForScaleDown({
          pool: p,
          runners,
          registrations,
          registrationsKnown: true,
          now: BASE_TIME,
        });
        const unlisted = selectForScaleDown({
          pool: p,
          runners,
          registrations: new Map(),
          registrationsKnown: false,
          now: BASE_TIME,
        });
        expect(listed).toEqual(unlisted);
      }),
      { numRuns: 200 },
    );
    // The property says something only if many cases were skipped.
    expect(skipped).toBeGreaterThan(20);
  });

  it('says yes for an idle runner, a launched one we know online, and an old booting one', () => {
    const p = pool({ bootTimeMinutes: 5, minimumRunningTimeMinutes: 2 });
    const at = (minutesAgo: number) => new Date(Date.parse(BASE_TIME) - minutesAgo * 60_000).toISOString();
    const check = (r: RunnerView) => registrationsCanMatter({ pool: p, runners: [r], now: BASE_TIME });
    expect(check(runner('a', { status: 'idle', launchedAt: at(0) }))).toBe(true);
    expect(check(runner('b', { status: 'launched', online: true, launchedAt: at(0) }))).toBe(true);
    expect(check(runner('c', { status: 'launched', online: false, launchedAt: at(2) }))).toBe(true);
    expect(check(runner('d', { status: 'launched', online: false, launchedAt: at(1) }))).toBe(false);
    expect(check(runner('e', { status: 'busy', launchedAt: at(60) }))).toBe(false);
    expect(check(runner('f', { status: 'requested', requestedAt: at(14), launchedAt: null }))).toBe(false);
    expect(check(runner('g', { status: 'requested', requestedAt: at(15), launchedAt: null }))).toBe(true);
  });
});

describe("scaleDownMayAct (may scale-down skip a pool's consistent reads this cycle?)", () => {
  it('when it says no, the policy selects nothing whatever GitHub lists, and nothing is left terminating', () => {
    let skipped = 0;
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ pool: p, runners, registrations }, known) => {
        if (scaleDownMayAct({ pool: p, runners, now: BASE_TIME })) return;
        skipped += 1;
        expect(runners.filter((r) => r.status === 'terminating')).toEqual([]);
        const selected = selectForScaleDown({
          pool: p,
          runners,
          registrations: known ? registrations : new Map(),
          registrationsKnown: known,
          now: BASE_TIME,
        });
        expect(selected).toEqual([]);
      }),
      { numRuns: 200 },
    );
    expect(skipped).toBeGreaterThan(20);
  });

  it('says yes for a termination left half done, which registrations alone would not', () => {
    const p = pool({ bootTimeMinutes: 5, minimumRunningTimeMinutes: 2 });
    const terminating = runner('t', { status: 'terminating', launchedAt: BASE_TIME });
    expect(registrationsCanMatter({ pool: p, runners: [terminating], now: BASE_TIME })).toBe(false);
    expect(scaleDownMayAct({ pool: p, runners: [terminating], now: BASE_TIME })).toBe(true);
  });
});

describe('listingMayRecord (does an orphan listing tell scale-down something to record?)', () => {
  const listed = (name: string, status: 'online' | 'offline', busy: boolean) =>
    new Map<string, RegisteredRunnerView>([[name, { githubRunnerId: 1, name, status, busy, labels: [] }]]);
  const check = (r: RunnerView, status: 'online' | 'offline', busy: boolean) =>
    listingMayRecord([r], listed(r.runnerName ?? '', status, busy));

  it('says yes for a start or a completion GitHub saw that our records lack, no otherwise', () => {
    const booting = runner('a', { status: 'launched', online: false, runnerName: 'a' });
    expect([check(booting, 'online', false), check(booting, 'offline', true)]).toEqual([true, true]);
    expect(check(booting, 'offline', false)).toBe(false);
    const idle = runner('b', { status: 'idle', runnerName: 'b' });
    expect([check(idle, 'online', true), check(idle, 'online', false)]).toEqual([true, false]);
    const busy = runner('c', { status: 'busy', runnerName: 'c', currentJobId: JobId('7') });
    expect([check(busy, 'online', false), check(busy, 'online', true)]).toEqual([true, false]);
    const unnamedJob = runner('d', { status: 'busy', runnerName: 'd', currentJobId: null });
    expect(check(unnamedJob, 'online', false)).toBe(false);
    expect(listingMayRecord([booting], new Map())).toBe(false);
  });
});
