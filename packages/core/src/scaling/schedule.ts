import { CronExpressionParser } from 'cron-parser';
import { toIso, toMillis, type IsoTime } from '../shared/brand';

/**
 * Problems with a 6-field cron expression (seconds first) and its IANA time zone; empty
 * when it is valid. Used at configuration time, so every problem is reported at once.
 */
export function validateCron(expression: string, timeZone?: string): readonly string[] {
  const problems: string[] = [];
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((field) => field !== '');
  if (fields.length !== 6) {
    problems.push(
      `cron "${expression}" must have 6 fields (second minute hour day month weekday), found ${fields.length}`,
    );
    return problems;
  }
  if (timeZone !== undefined && !validTimeZone(timeZone))
    problems.push(`time zone "${timeZone}" is not an IANA time zone`);
  try {
    CronExpressionParser.parse(expression, { strict: false, currentDate: new Date(0), tz: 'UTC' }).next();
  } catch (error) {
    problems.push(
      `cron "${expression}" is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return problems;
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
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
  const next = CronExpressionParser.parse(expression, {
    currentDate: new Date(start - 1),
    tz: timeZone ?? 'UTC',
  })
    .next()
    .getTime();
  return next >= start && next < start + toleranceSeconds * 1000;
}

/** The next occurrence strictly after `at` (for documentation and the policy-check CLI). */
export function nextOccurrence(expression: string, timeZone: string | undefined, at: IsoTime): IsoTime {
  return toIso(
    CronExpressionParser.parse(expression, { currentDate: new Date(toMillis(at)), tz: timeZone ?? 'UTC' })
      .next()
      .getTime(),
  );
}
