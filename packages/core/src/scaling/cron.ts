// parseCron: the cron grammar (cron-grammar.ts) and, as a last word, cron-parser's own parse.
import { CronExpressionParser } from 'cron-parser';
import { convertCron, type ParsedCron } from './cron-grammar';

export * from './cron-grammar';

/**
 * Reads a cron expression in one of the accepted forms and converts it to the 6-field form
 * (seconds first) that the schedule functions evaluate:
 * - `s m h dom mon dow` as written;
 * - standard `m h dom mon dow`, at second 0;
 * - EventBridge `cron(m h dom mon dow year)` (the reference module's pool schedules), at
 *   second 0, year `*` only, day-of-week 1–7 = SUN–SAT turned into 0–6.
 * `?` (day-of-month, day-of-week) means `*`. Never throws: a problem is returned as a reason,
 * including an expression that can never match (31 February).
 */
export function parseCron(expression: string): ParsedCron {
  const parsed = convertCron(expression);
  if (!parsed.ok) return parsed;
  try {
    CronExpressionParser.parse(parsed.cron, { currentDate: new Date(0), tz: 'UTC' }).next();
    return parsed;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `cron "${expression.trim()}" never matches: ${detail}` };
  }
}
