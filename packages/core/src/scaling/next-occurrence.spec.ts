import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toIso, toMillis } from '../shared/brand';
import { isCronActive, nextOccurrence } from './schedule';

describe('nextOccurrence', () => {
  it('gives a 08:00 Amsterdam schedule at 07:00 UTC in winter', () => {
    expect(nextOccurrence('0 0 8 * * *', 'Europe/Amsterdam', '2026-03-02T10:00:00.000Z')).toBe(
      '2026-03-03T07:00:00.000Z',
    );
  });

  it('gives it at 06:00 UTC once summer time began (29 March 2026)', () => {
    expect(nextOccurrence('0 0 8 * * *', 'Europe/Amsterdam', '2026-03-29T12:00:00.000Z')).toBe(
      '2026-03-30T06:00:00.000Z',
    );
  });

  it('is strictly after the given time, even when that time is an occurrence', () => {
    expect(nextOccurrence('0 0 8 * * *', 'UTC', '2026-03-03T08:00:00.000Z')).toBe('2026-03-04T08:00:00.000Z');
  });

  it('reads the expression in UTC when no time zone is given', () => {
    expect(nextOccurrence('0 30 * * * *', undefined, '2026-03-02T10:00:00.000Z')).toBe(
      '2026-03-02T10:30:00.000Z',
    );
  });

  it('is an occurrence, and nothing between the given time and it is one (property)', () => {
    const expressions = ['0 */15 * * * *', '0 0 8 * * 1-5', '30 5 9-17 * * *', '0 0 0 1 * *'];
    fc.assert(
      fc.property(
        fc.constantFrom(...expressions),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        fc
          .integer({ min: 0, max: 366 * 24 * 60 })
          .map((minutes) => toIso(toMillis('2026-01-01T00:00:00.000Z') + minutes * 60_000)),
        (expression, zone, at) => {
          const next = nextOccurrence(expression, zone, at);
          expect(toMillis(next)).toBeGreaterThan(toMillis(at));
          expect(isCronActive(expression, zone, next, 1)).toBe(true);
          // No occurrence in the whole seconds strictly between `at` and `next`.
          const after = toMillis(at) + 1000;
          const gapSeconds = (toMillis(next) - after) / 1000;
          if (gapSeconds > 0) expect(isCronActive(expression, zone, toIso(after), gapSeconds)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
