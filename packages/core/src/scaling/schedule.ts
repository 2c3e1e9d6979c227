import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { toIso, toMillis, type IsoTime } from '../shared/brand';
import { ConfigurationError } from '../shared/errors';
import { convertCron, parseCron, validTimeZone } from './cron';

/**
 * Problems with a cron expression (any accepted form, see `parseCron`) and its IANA time
 * zone; empty when both are valid. Used at configuration time, so every problem is reported
 * at once.
 */
export function validateCron(expression: string, timeZone?: string): readonly string[] {
  const problems: string[] = [];
  const parsed = parseCron(expression);
  if (!parsed.ok) problems.push(parsed.reason);
  if (timeZone !== undefined && !validTimeZone(timeZone))
    problems.push(`time zone "${timeZone}" is not an IANA time zone`);
  return problems;
}

/**
 * The expression, converted to 6 fields, positioned at `currentDate`. A configuration that
 * was loaded has valid crons; one that was not is a configuration error, never retried.
 */
function cronAt(
  expression: string,
  timeZone: string | undefined,
  options: { readonly currentDate: number; readonly startDate?: number },
): CronExpression {
  const converted = convertCron(expression);
  if (!converted.ok) throw new ConfigurationError([converted.reason]);
  return CronExpressionParser.parse(converted.cron, {
    currentDate: new Date(options.currentDate),
    ...(options.startDate === undefined ? {} : { startDate: new Date(options.startDate) }),
    tz: timeZone ?? 'UTC',
  });
}

/**
 * Is the schedule "on" at `at`? True when the cron has an occurrence in
 * [at, at + toleranceSeconds). A window such as `* * 9-17 * * 1-5` (every second of those
 * hours) is on throughout them; a point such as `0 0 8 * * *` is hit by the periodic tick
 * that runs at most `toleranceSeconds` before 08:00:00.
 */
export function isCronActive(
  expression: string,
  timeZone: string | undefined,
  at: IsoTime,
  toleranceSeconds = 60,
): boolean {
  const start = toMillis(at);
  // cron-parser returns occurrences strictly after currentDate: start one ms earlier.
  const next = cronAt(expression, timeZone, { currentDate: start - 1 })
    .next()
    .getTime();
  return next >= start && next < start + toleranceSeconds * 1000;
}

/** The next occurrence strictly after `at` (for documentation and the policy-check CLI). */
export function nextOccurrence(expression: string, timeZone: string | undefined, at: IsoTime): IsoTime {
  return toIso(
    cronAt(expression, timeZone, { currentDate: toMillis(at) })
      .next()
      .getTime(),
  );
}

/** The most recent occurrence in [start, end] (milliseconds), or null: one backward search. */
function searchBack(
  expression: string,
  timeZone: string | undefined,
  end: number,
  start: number,
): number | null {
  if (start > end) return null;
  // cron-parser returns occurrences strictly before currentDate: start one ms later.
  const cron = cronAt(expression, timeZone, { currentDate: end + 1, startDate: start });
  // No occurrence in the span makes prev() throw. hasPrev() is the same search with the throw
  // caught, so hasPrev() then prev() would search twice.
  try {
    return cron.prev().getTime();
  } catch {
    return null;
  }
}

/** What previousOccurrence last found for one cron and zone: the latest occurrence in [notBefore, at]. */
interface LastAnswer {
  readonly at: number;
  readonly notBefore: number;
  readonly found: number | null;
}

/**
 * The last answer per cron and zone. Callers ask about a slightly later time each time (pool
 * top-up every minute, policy-check's simulation minute by minute), and cron-parser's backward
 * search over weeks costs about a millisecond (luxon at every step): the answer is then the
 * latest occurrence since the last question, a search of a minute's span, or else the last
 * answer. Same question, same answer, whatever was asked before (previous-occurrence.spec.ts
 * checks sequences against a brute-force scan); bounded, so it never grows with the crons seen.
 */
const lastAnswers = new Map<string, LastAnswer>();
const LAST_ANSWERS_KEPT = 256;

/**
 * The most recent occurrence at or before `at` and not before `notBefore`, or null when the
 * cron did not fire in that span. Wall-clock semantics in the zone, as `isCronActive`: a time
 * skipped by a spring-forward change never fires, one repeated by a fall-back change fires twice.
 */
export function previousOccurrence(
  expression: string,
  timeZone: string | undefined,
  at: IsoTime,
  notBefore: IsoTime,
): IsoTime | null {
  const end = toMillis(at);
  const start = toMillis(notBefore);
  if (start > end) return null;
  const key = `${timeZone ?? 'UTC'} ${expression}`;
  const last = lastAnswers.get(key);
  let found: number | null;
  if (last && last.notBefore <= start && start <= last.at + 1 && last.at <= end) {
    // [start, end] = [start, last.at] + (last.at, end]; the latest in the first part is the
    // last answer when it is not before start (nothing lies between it and last.at).
    const recent = searchBack(expression, timeZone, end, last.at + 1);
    found = recent ?? (last.found !== null && last.found >= start ? last.found : null);
  } else {
    found = searchBack(expression, timeZone, end, start);
  }
  if (!last && lastAnswers.size >= LAST_ANSWERS_KEPT) lastAnswers.clear();
  lastAnswers.set(key, { at: end, notBefore: start, found });
  return found === null ? null : toIso(found);
}
