// The one cron grammar Hangar accepts (docs/policies.md, "Cron expressions"). The module's
// plan-time validation implements the same rules, so a configuration that plans is one the
// runtime loads. Everything is converted to cron-parser's 6-field form, seconds first.
import { CronExpressionParser } from 'cron-parser';

/** Which of the accepted forms an expression was written in. */
export type CronForm = 'six-field' | 'five-field' | 'eventbridge';

export type ParsedCron =
  | { readonly ok: true; readonly form: CronForm; readonly cron: string }
  | { readonly ok: false; readonly reason: string };

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names in value order, the first being `min` (month JAN = 1, weekday SUN = 0 or 1). */
  readonly names?: readonly string[];
  /** `?` (no specific value) is allowed: day-of-month and day-of-week only. */
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, question: true };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS };
// cron-parser: 0–7, both 0 and 7 are Sunday. EventBridge: 1–7, 1 is Sunday.
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 0, max: 7, names: DAYS, question: true };
const EVENTBRIDGE_DAY_OF_WEEK: FieldSpec = { ...DAY_OF_WEEK, min: 1, max: 7 };

const SIX_FIELDS = [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
const FIVE_FIELDS = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
const EVENTBRIDGE_FIELDS = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, EVENTBRIDGE_DAY_OF_WEEK];

const SIX_NAMES = '6 (second minute hour day-of-month month day-of-week)';
const FIVE_NAMES = '5 (minute hour day-of-month month day-of-week)';
const EVENTBRIDGE_NAMES = '6 fields (minute hour day-of-month month day-of-week year)';

// L (last), W (weekday) and # (nth weekday): EventBridge and cron-parser differ on them.
const UNSUPPORTED = /#|^(?:\d+|[A-Za-z]{3})?L$|^\d*L?W$/i;

type FieldResult = { readonly values: ReadonlySet<number> } | { readonly problem: string };

function readValue(token: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    return value >= spec.min && value <= spec.max ? value : `${value} is outside ${spec.min}–${spec.max}`;
  }
  const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index >= 0) return spec.min + index;
  const names = spec.names ? ` (names: ${spec.names[0]}–${spec.names.at(-1)})` : '';
  return `"${token}" is not a number or a name${names}`;
}

function readItem(item: string, spec: FieldSpec, values: Set<number>): string | null {
  if (UNSUPPORTED.test(item)) return '"L", "W" and "#" are not supported';
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined || range === '') return `"${item}" is not a value, range or step`;
  const stepSize = step === undefined ? 1 : /^\d+$/.test(step) ? Number(step) : NaN;
  if (!(stepSize >= 1)) return `step must be at least 1 in "${item}"`;
  let from: number | string = spec.min;
  let to: number | string = spec.max;
  if (range !== '*') {
    const [first = '', last, more] = range.split('-');
    if (more !== undefined) return `"${item}" is not a value, range or step`;
    from = readValue(first, spec);
    to = last !== undefined ? readValue(last, spec) : step !== undefined ? spec.max : from;
  }
  if (typeof from === 'string') return from;
  if (typeof to === 'string') return to;
  if (from > to) return `range ${range} runs backwards`;
  for (let value = from; value <= to; value += stepSize) values.add(value);
  return null;
}

function readField(field: string, spec: FieldSpec): FieldResult {
  if (field === '?') {
    return spec.question
      ? { values: new Set() }
      : { problem: '"?" is allowed only in day-of-month and day-of-week' };
  }
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const problem = readItem(item, spec, values);
    if (problem !== null) return { problem };
  }
  return { values };
}

/** Every field read against its spec; the first problem, named by field. */
function readFields(
  expression: string,
  fields: readonly string[],
  specs: readonly FieldSpec[],
): { readonly values: readonly ReadonlySet<number>[] } | { readonly problem: string } {
  const values: ReadonlySet<number>[] = [];
  for (const [index, spec] of specs.entries()) {
    const field = fields[index] ?? '';
    const read = readField(field, spec);
    if ('problem' in read)
      return { problem: `cron "${expression}" ${spec.name} field "${field}": ${read.problem}` };
    values.push(read.values);
  }
  return { values };
}

const split = (text: string): string[] =>
  text
    .trim()
    .split(/\s+/)
    .filter((field) => field !== '');
const wildcardQuestion = (fields: readonly string[]): string[] =>
  fields.map((field) => (field === '?' ? '*' : field));

function parseEventBridge(expression: string, inner: string): ParsedCron {
  const fields = split(inner);
  if (fields.length !== 6) {
    return {
      ok: false,
      reason: `cron(...) needs ${EVENTBRIDGE_NAMES}, found ${fields.length} in "${expression}"`,
    };
  }
  const read = readFields(expression, fields, EVENTBRIDGE_FIELDS);
  if ('problem' in read) return { ok: false, reason: read.problem };
  if (fields[5] !== '*') {
    return {
      ok: false,
      reason: `cron "${expression}": the year must be * (Hangar schedules repeat every year), found "${fields[5]}"`,
    };
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek = '*'] = wildcardQuestion(fields);
  const days = read.values[4] ?? new Set<number>();
  const weekday =
    dayOfWeek === '*'
      ? '*'
      : [...days]
          .map((day) => day - 1)
          .sort((a, b) => a - b)
          .join(',');
  return { ok: true, form: 'eventbridge', cron: ['0', minute, hour, dayOfMonth, month, weekday].join(' ') };
}

function parsePlain(expression: string): ParsedCron {
  const fields = split(expression);
  if (fields.length === 0) return { ok: false, reason: 'cron is empty' };
  if (fields.length !== 6 && fields.length !== 5) {
    return {
      ok: false,
      reason: `cron "${expression}" has ${fields.length} fields; expected ${SIX_NAMES} or ${FIVE_NAMES}, or EventBridge cron(...) with ${EVENTBRIDGE_NAMES}`,
    };
  }
  const read = readFields(expression, fields, fields.length === 6 ? SIX_FIELDS : FIVE_FIELDS);
  if ('problem' in read) {
    const hint =
      fields.length === 6 && /"\?"/.test(read.problem)
        ? ' (an EventBridge expression goes in cron(...))'
        : '';
    return { ok: false, reason: `${read.problem}${hint}` };
  }
  const cron = wildcardQuestion(fields);
  return fields.length === 6
    ? { ok: true, form: 'six-field', cron: cron.join(' ') }
    : { ok: true, form: 'five-field', cron: ['0', ...cron].join(' ') };
}

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

/**
 * `parseCron` without the final check that the expression ever matches (which costs a
 * cron-parser parse): for the schedule functions, which parse the result anyway.
 */
export function convertCron(expression: string): ParsedCron {
  const trimmed = expression.trim();
  const wrapped = /^([A-Za-z]+)\((.*)\)$/s.exec(trimmed);
  if (!wrapped) return parsePlain(trimmed);
  const [, kind = '', inner = ''] = wrapped;
  if (kind.toLowerCase() === 'cron') return parseEventBridge(trimmed, inner);
  if (kind.toLowerCase() === 'rate') {
    return {
      ok: false,
      reason: `"${trimmed}" is a rate, not a cron: write when it fires as a cron, e.g. "0 */5 * * * *" for every 5 minutes`,
    };
  }
  return { ok: false, reason: `"${trimmed}" is not a cron expression` };
}
