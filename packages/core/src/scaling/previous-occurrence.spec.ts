import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toIso, toMillis } from '../shared/brand';
import { previousOccurrence } from './schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('previousOccurrence', () => {
  it('is the occurrence itself when asked at that instant', () => {
    expect(
      previousOccurrence('0 0 8 * * *', 'UTC', '2026-03-03T08:00:00.000Z', '2026-03-01T00:00:00.000Z'),
    ).toBe('2026-03-03T08:00:00.000Z');
  });
  it('goes back over a weekend to Friday for a weekday schedule', () => {
    // Monday 2026-03-02 07:00 UTC is 08:00 in Amsterdam; 19:00 weekdays last fired on Friday.
    expect(
      previousOccurrence(
        '0 0 19 * * 1-5',
        'Europe/Amsterdam',
        '2026-03-02T07:00:00.000Z',
        '2026-02-01T00:00:00.000Z',
      ),
    ).toBe('2026-02-27T18:00:00.000Z');
  });
  it('is null when the cron did not fire since notBefore', () => {
    expect(
      previousOccurrence('0 0 8 * * *', 'UTC', '2026-03-03T07:00:00.000Z', '2026-03-02T09:00:00.000Z'),
    ).toBeNull();
  });
  it('counts an occurrence exactly at notBefore', () => {
    expect(
      previousOccurrence('0 0 8 * * *', 'UTC', '2026-03-03T07:00:00.000Z', '2026-03-02T08:00:00.000Z'),
    ).toBe('2026-03-02T08:00:00.000Z');
  });
  it('reads the converted forms: EventBridge day-of-week 2 is Monday', () => {
    expect(
      previousOccurrence('cron(30 7 ? * 2 *)', 'UTC', '2026-03-05T12:00:00.000Z', '2026-02-01T00:00:00.000Z'),
    ).toBe('2026-03-02T07:30:00.000Z');
  });

  describe('given Europe/Amsterdam around the daylight-saving changes', () => {
    const zone = 'Europe/Amsterdam';
    const since = '2026-03-01T00:00:00.000Z';
    it('skips 02:30 on the spring-forward day: the previous firing is the day before', () => {
      expect(previousOccurrence('0 30 2 * * *', zone, '2026-03-29T03:00:00.000Z', since)).toBe(
        '2026-03-28T01:30:00.000Z',
      );
    });
    it('finds each of the two 02:30s of the fall-back day', () => {
      const october = '2026-10-01T00:00:00.000Z';
      expect(previousOccurrence('0 30 2 * * *', zone, '2026-10-25T01:00:00.000Z', october)).toBe(
        '2026-10-25T00:30:00.000Z',
      );
      expect(previousOccurrence('0 30 2 * * *', zone, '2026-10-25T01:45:00.000Z', october)).toBe(
        '2026-10-25T01:30:00.000Z',
      );
    });
    it('finds 02:50 of the first pass while the clock reads 02:10 of the second', () => {
      expect(
        previousOccurrence('0 50 2 * * *', zone, '2026-10-25T01:10:00.000Z', '2026-10-01T00:00:00.000Z'),
      ).toBe('2026-10-25T00:50:00.000Z');
    });
  });
});

// A deliberately naive matcher for the brute-force property: the wall clock in the zone
// through Intl, each field against a small grammar (`*`, `n`, `a-b`, `*/s`, `a,b`), weekday
// 0 = Sunday. The zones used change their offset on whole UTC hours, so the wall clock's
// hour, day, month and weekday are constant within a UTC hour.
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
function wallClock(
  ms: number,
  timeZone: string,
): { hour: number; day: number; month: number; weekday: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return {
    hour: Number(get('hour')),
    day: Number(get('day')),
    month: Number(get('month')),
    weekday: WEEKDAYS[get('weekday')] ?? -1,
  };
}
function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((item) => {
    if (item === '*') return true;
    if (item.startsWith('*/')) return value % Number(item.slice(2)) === 0;
    const [from, to] = item.split('-').map(Number);
    return to === undefined ? value === from : value >= (from ?? 0) && value <= to;
  });
}
/** Scans back a UTC hour at a time, then second by second inside matching hours. */
function bruteForcePrevious(expression: string, zone: string, at: number, notBefore: number): number | null {
  const [second = '', minute = '', hour = '', day = '', month = '', weekday = ''] = expression.split(' ');
  for (let block = Math.floor(at / HOUR) * HOUR; block + HOUR > notBefore; block -= HOUR) {
    const clock = wallClock(block, zone);
    if (
      !fieldMatches(hour, clock.hour) ||
      !fieldMatches(day, clock.day) ||
      !fieldMatches(month, clock.month) ||
      !fieldMatches(weekday, clock.weekday)
    )
      continue;
    for (let s = 3599; s >= 0; s -= 1) {
      const instant = block + s * 1000;
      if (instant > at || instant < notBefore) continue;
      if (fieldMatches(minute, Math.floor(s / 60)) && fieldMatches(second, s % 60)) return instant;
    }
  }
  return null;
}

const fieldArb = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 0, max }).map(String),
    fc
      .tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max }))
      .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 2, max: 15 }).map((step) => `*/${step}`),
    fc
      .uniqueArray(fc.integer({ min: 0, max }), { minLength: 2, maxLength: 3 })
      .map((values) => values.sort((a, b) => a - b).join(',')),
  );

describe('previousOccurrence (property)', () => {
  it('agrees with a brute-force scan back from any time of 2026, daylight-saving days included', () => {
    fc.assert(
      fc.property(
        fc.tuple(fieldArb(59), fieldArb(59), fieldArb(23), fc.constant('*'), fc.constant('*'), fieldArb(6)),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        // Whole seconds of 2026, weighted towards the daylight-saving weekends.
        fc.oneof(
          fc
            .integer({ min: 0, max: 364 * 86_400 })
            .map((s) => toMillis('2026-01-01T00:00:00.000Z') + s * 1000),
          fc
            .tuple(
              fc.constantFrom('2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01'),
              fc.integer({ min: 0, max: 2 * 86_400 }),
            )
            .map(([date, s]) => toMillis(`${date}T00:00:00.000Z`) + s * 1000),
        ),
        fc.integer({ min: 1, max: 8 * 24 }),
        (fields, zone, at, lookbackHours) => {
          const expression = fields.join(' ');
          const notBefore = at - lookbackHours * HOUR;
          const expected = bruteForcePrevious(expression, zone, at, notBefore);
          expect(previousOccurrence(expression, zone, toIso(at), toIso(notBefore))).toBe(
            expected === null ? null : toIso(expected),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  // previousOccurrence keeps its last answer per cron and answers a later question from it
  // plus a search of the span in between: asked minute after minute, as pool top-up and
  // policy-check ask, it must still agree with a fresh scan every time.
  it('agrees with a brute-force scan at every step of a run of ever later questions', () => {
    fc.assert(
      fc.property(
        fc.tuple(fieldArb(59), fieldArb(59), fieldArb(23), fc.constant('*'), fc.constant('*'), fieldArb(6)),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        fc
          .tuple(
            fc.constantFrom('2026-02-10', '2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01'),
            fc.integer({ min: 0, max: 86_400 }),
          )
          .map(([date, s]) => toMillis(`${date}T00:00:00.000Z`) + s * 1000),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 3 * 3600 })), {
          minLength: 2,
          maxLength: 8,
        }),
        // Short look-backs: the brute force scans every second of each matching hour.
        fc.integer({ min: 1, max: 12 }),
        (fields, zone, first, stepsSeconds, lookbackHours) => {
          const expression = fields.join(' ');
          let at = first;
          for (const step of [0, ...stepsSeconds]) {
            at += step * 1000;
            const notBefore = at - lookbackHours * HOUR;
            const expected = bruteForcePrevious(expression, zone, at, notBefore);
            expect({
              at: toIso(at),
              found: previousOccurrence(expression, zone, toIso(at), toIso(notBefore)),
            }).toEqual({
              at: toIso(at),
              found: expected === null ? null : toIso(expected),
            });
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is never later than the time asked about nor earlier than notBefore', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0 0 8 * * 1-5', '0 30 7 * * 1-5', '* * 9-17 * * *', '0 */15 * * * *'),
        fc.integer({ min: 0, max: 300 * DAY }).map((ms) => toMillis('2026-01-01T00:00:00.000Z') + ms),
        fc.integer({ min: 0, max: 10 * DAY }),
        (expression, at, span) => {
          const found = previousOccurrence(expression, 'Europe/Berlin', toIso(at), toIso(at - span));
          if (found === null) return;
          expect(toMillis(found)).toBeLessThanOrEqual(at);
          expect(toMillis(found)).toBeGreaterThanOrEqual(at - span);
        },
      ),
      { numRuns: 100 },
    );
  });
});
