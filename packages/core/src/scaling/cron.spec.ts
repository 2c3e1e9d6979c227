import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toIso, toMillis } from '../shared/brand';
import { convertCron, parseCron } from './cron';
import { isCronActive } from './schedule';

const converted = (expression: string): string => {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cron;
};
const reason = (expression: string): string => {
  const parsed = parseCron(expression);
  return parsed.ok ? `accepted as ${parsed.cron}` : parsed.reason;
};

describe('parseCron', () => {
  describe('given the 6-field form with seconds first', () => {
    it('keeps it as written', () => {
      expect(parseCron('* * 9-17 * * 1-5')).toEqual({
        ok: true,
        form: 'six-field',
        cron: '* * 9-17 * * 1-5',
      });
      expect(converted('0 */15 8-18 ? JAN-JUN mon-fri')).toBe('0 */15 8-18 * JAN-JUN mon-fri');
    });
    it('rejects an EventBridge expression written without cron(...), and says to wrap it', () => {
      expect(reason('* * * * ? *')).toMatch(
        /"\?" is allowed only in day-of-month and day-of-week.*cron\(\.\.\.\)/,
      );
    });
  });

  describe('given the standard 5-field form', () => {
    it('adds second 0', () => {
      expect(parseCron('0 9 * * 1-5')).toEqual({ ok: true, form: 'five-field', cron: '0 0 9 * * 1-5' });
      expect(converted('*/5 8-18 * * *')).toBe('0 */5 8-18 * * *');
    });
  });

  describe('given an EventBridge cron(minute hour day-of-month month day-of-week year)', () => {
    it('accepts the reference module’s every-minute pool schedule', () => {
      expect(parseCron('cron(* * * * ? *)')).toEqual({ ok: true, form: 'eventbridge', cron: '0 * * * * *' });
    });
    it('turns day-of-week 1–7 (SUN–SAT) into 0–6 and keeps day names', () => {
      expect(converted('cron(0 8 ? * 2-6 *)')).toBe('0 0 8 * * 1,2,3,4,5');
      expect(converted('cron(0 8 ? * 1,7 *)')).toBe('0 0 8 * * 0,6');
      expect(converted('cron(0 8 ? * MON-FRI *)')).toBe('0 0 8 * * 1,2,3,4,5');
      expect(converted('cron(30 7 ? * sun *)')).toBe('0 30 7 * * 0');
      expect(converted('cron(0 8 ? * 2/2 *)')).toBe('0 0 8 * * 1,3,5');
      expect(converted('cron(0 8 ? * */3 *)')).toBe('0 0 8 * * 0,3,6');
      expect(converted('cron(0 8 ? * * *)')).toBe('0 0 8 * * *');
    });
    it('accepts a day of month with ? as day of week', () => {
      expect(converted('cron(0/10 8-18 1,15 * ? *)')).toBe('0 0/10 8-18 1,15 * *');
    });
    it('rejects a year other than *', () => {
      expect(reason('cron(0 8 * * ? 2026)')).toMatch(/year must be \*/);
    });
    it('rejects day-of-week 0 (EventBridge counts 1–7)', () => {
      expect(reason('cron(0 8 ? * 0 *)')).toMatch(/day-of-week.*0 is outside 1–7/);
    });
    it('rejects a field count other than 6', () => {
      expect(reason('cron(0 8 * * ?)')).toMatch(/cron\(\.\.\.\) needs 6 fields.*found 5/);
    });
  });

  describe('rejects everything else with the reason', () => {
    it('a rate expression: it is not a cron', () => {
      expect(reason('rate(5 minutes)')).toMatch(/rate\(5 minutes\).* is a rate, not a cron/);
    });
    it('another wrapped expression', () => {
      expect(reason('at(2026-03-02T08:00:00)')).toMatch(/is not a cron/);
    });
    it('a field count other than 5 or 6', () => {
      expect(reason('* * * *')).toMatch(/has 4 fields; expected 6 .*or 5 /);
      expect(reason('')).toMatch(/is empty/);
    });
    it('a value out of range, naming the field', () => {
      expect(reason('0 0 25 * * *')).toMatch(/hour field "25": 25 is outside 0–23/);
      expect(reason('60 8 * * *')).toMatch(/minute field "60": 60 is outside 0–59/);
      expect(reason('0 0 8 * * 8')).toMatch(/day-of-week field "8": 8 is outside 0–7/);
    });
    it('L, W and #, which cron-parser and the plan-time check do not share', () => {
      expect(reason('0 0 8 L * *')).toMatch(/"L", "W" and "#" are not supported/);
      expect(reason('cron(0 8 ? * 6#3 *)')).toMatch(/"L", "W" and "#" are not supported/);
      expect(reason('cron(0 8 15W * ? *)')).toMatch(/"L", "W" and "#" are not supported/);
    });
    it('a reversed range, a zero step and an unknown name', () => {
      expect(reason('0 0 8 * * 5-1')).toMatch(/range 5-1 runs backwards/);
      expect(reason('*/0 * * * *')).toMatch(/step must be at least 1/);
      expect(reason('0 0 8 * * MOX')).toMatch(/"MOX" is not a number or a name/);
    });
    it('a day that never comes', () => {
      expect(reason('0 0 8 31 2 *')).toMatch(/never matches|invalid/i);
    });
  });
});

describe('convertCron (the configuration check, without cron-parser)', () => {
  const refused = (expression: string) => {
    const parsed = convertCron(expression);
    return parsed.ok ? null : parsed.reason;
  };

  it('refuses a day of month that none of its months has, unless a day of week is named', () => {
    expect(refused('0 0 8 31 2 *')).toMatch(/never matches: no month in it has day 31/);
    expect(refused('0 8 30,31 FEB *')).toMatch(/never matches/);
    expect(refused('cron(0 8 31 4,6,9,11 ? *)')).toMatch(/never matches/);
    expect(refused('0 0 8 29 2 *')).toBeNull();
    expect(refused('0 0 8 31 2 1')).toBeNull();
    expect(refused('0 0 8 31 */2 *')).toBeNull();
  });

  it('accepts exactly what cron-parser can fire (property)', () => {
    const dayOfMonth = fc.oneof(
      fc.constant('*'),
      fc.integer({ min: 1, max: 31 }).map(String),
      fc
        .uniqueArray(fc.integer({ min: 29, max: 31 }), { minLength: 1, maxLength: 2 })
        .map((d) => d.join(',')),
    );
    const month = fc.oneof(
      fc.constant('*'),
      fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }).map((m) => m.join(',')),
      // The months short of 31 days (and February, short of 30), where impossible dates live.
      fc.uniqueArray(fc.constantFrom(2, 4, 6, 9, 11), { minLength: 1, maxLength: 3 }).map((m) => m.join(',')),
      fc.integer({ min: 1, max: 6 }).map((step) => `*/${step}`),
    );
    const dayOfWeek = fc.constantFrom('*', '*', '1', 'MON-FRI');
    fc.assert(
      fc.property(dayOfMonth, month, dayOfWeek, (dom, mon, dow) => {
        const expression = `0 0 8 ${dom} ${mon} ${dow}`;
        expect(convertCron(expression).ok).toBe(parseCron(expression).ok);
      }),
      { numRuns: 300 },
    );
  });
});

// EventBridge's own reading of day-of-week (1 = Sunday), for the conversion property.
const EVENTBRIDGE_DAY: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };
const dayItemArb = fc.oneof(
  fc.integer({ min: 1, max: 7 }).map(String),
  fc.constantFrom(...Object.keys(EVENTBRIDGE_DAY)),
  fc
    .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 })).map(([a, s]) => `${a}/${s}`),
);
function eventBridgeDays(field: string): Set<number> {
  const days = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', step = '1'] = item.split('/');
    const [from = '', to] = range.split('-');
    const start = EVENTBRIDGE_DAY[from] ?? Number(from);
    const end = to === undefined ? (item.includes('/') ? 7 : start) : Number(to);
    for (let day = start; day <= end; day += Number(step)) days.add(day);
  }
  return days;
}
const WEEKDAY_OF = { Sun: 1, Mon: 2, Tue: 3, Wed: 4, Thu: 5, Fri: 6, Sat: 7 } as const;

/** The wall clock of `ms` in `zone`, read as if it were UTC. */
function wallClockMillis(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(ms);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '00';
  return toMillis(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00.000Z`);
}

/** 12:00 local time in `zone` on `date` (no zone changes its clocks at noon). */
function localNoon(date: string, zone: string): number {
  const guess = toMillis(`${date}T12:00:00.000Z`);
  return guess - (wallClockMillis(guess, zone) - guess);
}

describe('parseCron on EventBridge day-of-week (property)', () => {
  it('fires on exactly the days EventBridge reads, 1 = Sunday', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(dayItemArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        (items, dayOffset, zone) => {
          const field = items.join(',');
          const expression = converted(`cron(0 12 ? * ${field} *)`);
          const date = toIso(toMillis('2026-01-05T00:00:00.000Z') + dayOffset * 86_400_000).slice(0, 10);
          const noon = localNoon(date, zone);
          const weekday = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(noon);
          const expected = eventBridgeDays(field).has(WEEKDAY_OF[weekday as keyof typeof WEEKDAY_OF]);
          expect(isCronActive(expression, zone, toIso(noon), 1)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
