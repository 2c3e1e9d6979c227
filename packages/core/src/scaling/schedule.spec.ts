import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toIso, toMillis } from '../shared/brand';
import { isCronActive, validateCron } from './schedule';

// An independent, deliberately naive cron matcher for the brute-force property: it reads the
// wall clock in the zone through Intl and checks each field against a small grammar
// (`*`, `n`, `a-b`, `*/s`, `a,b`). Weekday 0 = Sunday.
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
// One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting, and
// the brute-force property formats up to 180 instants per run.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      second: 'numeric',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}
function wallClock(ms: number, timeZone: string): number[] {
  const parts = formatter(timeZone).formatToParts(ms);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return [
    Number(get('second')),
    Number(get('minute')),
    Number(get('hour')),
    Number(get('day')),
    Number(get('month')),
    WEEKDAYS[get('weekday')] ?? -1,
  ];
}
function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((item) => {
    if (item === '*') return true;
    if (item.startsWith('*/')) return value % Number(item.slice(2)) === 0;
    const [from, to] = item.split('-').map(Number);
    return to === undefined ? value === from : value >= (from ?? 0) && value <= to;
  });
}
const naiveMatches = (expression: string, ms: number, timeZone: string): boolean => {
  const clock = wallClock(ms, timeZone);
  return expression.split(' ').every((field, index) => fieldMatches(field, clock[index] ?? -1));
};

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

describe('validateCron', () => {
  it('accepts a 6-field expression with seconds', () => {
    expect(validateCron('* * 9-17 * * 1-5')).toEqual([]);
  });
  it('accepts a standard 5-field expression and an EventBridge cron(...)', () => {
    expect(validateCron('0 9 * * 1-5')).toEqual([]);
    expect(validateCron('cron(* * * * ? *)')).toEqual([]);
    expect(validateCron('cron(0 8 ? * MON-FRI *)', 'Europe/Berlin')).toEqual([]);
  });
  it('rejects a rate expression, saying it is not a cron', () => {
    expect(validateCron('rate(1 minute)')).toEqual([
      '"rate(1 minute)" is a rate, not a cron: write when it fires as a cron, e.g. "0 */5 * * * *" for every 5 minutes',
    ]);
  });
  it('rejects an out-of-range field', () => {
    expect(validateCron('0 0 25 * * *').join()).toMatch(/hour field "25": 25 is outside 0–23/);
  });
  it('rejects an unknown time zone', () => {
    expect(validateCron('* * * * * *', 'Mars/Olympus')).toEqual([
      'time zone "Mars/Olympus" is not an IANA time zone',
    ]);
  });
  it('reports a bad cron and a bad time zone together', () => {
    expect(validateCron('* * * *', 'Mars/Olympus')).toHaveLength(2);
  });
  it('fires a 5-field expression exactly when its 6-field form at second 0 fires (property)', () => {
    const at = fc
      .integer({ min: 0, max: 366 * 24 * 60 })
      .map((m) => toIso(toMillis('2026-01-01T00:00:00.000Z') + m * 60_000));
    fc.assert(
      fc.property(
        fc.tuple(fieldArb(59), fieldArb(23), fc.constant('*'), fc.constant('*'), fieldArb(6)),
        fc.constantFrom('UTC', 'Europe/Amsterdam'),
        at,
        (fields, zone, start) => {
          expect(validateCron(fields.join(' '))).toEqual([]);
          expect(isCronActive(fields.join(' '), zone, start, 1)).toBe(
            naiveMatches(['0', ...fields].join(' '), toMillis(start), zone),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('isCronActive', () => {
  it('is on throughout an office-hours window and off outside it', () => {
    expect(isCronActive('* * 9-17 * * 1-5', undefined, '2026-03-02T09:00:00.000Z')).toBe(true);
    expect(isCronActive('* * 9-17 * * 1-5', undefined, '2026-03-02T17:59:30.000Z')).toBe(true);
    expect(isCronActive('* * 9-17 * * 1-5', undefined, '2026-03-02T18:00:00.000Z')).toBe(false);
    expect(isCronActive('* * 9-17 * * 1-5', undefined, '2026-03-01T10:00:00.000Z')).toBe(false); // Sunday
  });
  it('is hit by a tick up to the tolerance before a point schedule, not after it', () => {
    expect(isCronActive('0 0 8 * * *', undefined, '2026-03-02T07:59:01.000Z')).toBe(true);
    expect(isCronActive('0 0 8 * * *', undefined, '2026-03-02T08:00:00.000Z')).toBe(true);
    expect(isCronActive('0 0 8 * * *', undefined, '2026-03-02T07:59:00.000Z')).toBe(false);
    expect(isCronActive('0 0 8 * * *', undefined, '2026-03-02T08:00:00.001Z')).toBe(false);
  });

  describe('given Europe/Amsterdam around the daylight-saving changes', () => {
    const zone = 'Europe/Amsterdam';
    it('opens a 09:00 local window at 08:00 UTC in winter and 07:00 UTC in summer', () => {
      expect(isCronActive('* * 9-17 * * 1-5', zone, '2026-03-27T07:30:00.000Z')).toBe(false); // Fri 08:30 CET
      expect(isCronActive('* * 9-17 * * 1-5', zone, '2026-03-27T08:00:00.000Z')).toBe(true); // Fri 09:00 CET
      expect(isCronActive('* * 9-17 * * 1-5', zone, '2026-03-30T07:00:00.000Z')).toBe(true); // Mon 09:00 CEST
      expect(isCronActive('* * 9-17 * * 1-5', zone, '2026-03-30T06:59:00.000Z')).toBe(false); // Mon 08:59 CEST
    });
    it('skips a 02:30 point on the spring-forward day: 02:30 local does not exist', () => {
      // 2026-03-29 02:00 CET jumps to 03:00 CEST. Wall-clock semantics: no minute tick that
      // day finds an occurrence (the pool top-up at 02:30 does not happen that day).
      const ticks = Array.from({ length: 6 * 60 }, (_, m) =>
        toIso(toMillis('2026-03-28T22:00:00.000Z') + m * 60_000),
      );
      expect(ticks.filter((at) => isCronActive('0 30 2 * * *', zone, at))).toEqual([]);
    });
    it('fires a 02:30 point twice on the fall-back day, once in CEST and once in CET', () => {
      const ticks = Array.from({ length: 6 * 60 }, (_, m) =>
        toIso(toMillis('2026-10-24T22:00:00.000Z') + m * 60_000),
      );
      expect(ticks.filter((at) => isCronActive('0 30 2 * * *', zone, at))).toEqual([
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T01:30:00.000Z',
      ]);
    });
  });

  it('agrees with a second-by-second brute-force check over small windows', () => {
    const at = fc
      .integer({ min: 0, max: 2 * 366 * 24 * 3600 })
      .map((s) => toIso(toMillis('2026-01-01T00:00:00.000Z') + s * 1000));
    fc.assert(
      fc.property(
        fc.tuple(fieldArb(59), fieldArb(59), fieldArb(23), fc.constant('*'), fc.constant('*'), fieldArb(6)),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        at,
        fc.integer({ min: 1, max: 180 }),
        (fields, zone, start, tolerance) => {
          const expression = fields.join(' ');
          let brute = false;
          for (let s = 0; s < tolerance && !brute; s++)
            brute = naiveMatches(expression, toMillis(start) + s * 1000, zone);
          expect(isCronActive(expression, zone, start, tolerance)).toBe(brute);
        },
      ),
      { numRuns: 300 },
    );
  });
});
