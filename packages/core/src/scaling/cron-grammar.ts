// The one cron grammar Hangar accepts (docs/policies.md, "Cron expressions"). The module's
// plan-time validation implements the same rules, so a configuration that plans is one the
// runtime loads. Everything is converted to cron-parser's 6-field form, seconds first.
// No cron-parser here: the configuration check runs this in every Lambda bundle, and only the
// functions that evaluate schedules load cron-parser (cron.ts, schedule.ts).

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

// The most days each month has (February 29: leap years come).
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why an expression whose fields are each valid can still never fire: its days of month exist
 * in none of its months (31 February, 31 April), and no day of week is named (a named one
 * fires on its own, as cron and cron-parser read both fields). Found here rather than by
 * asking cron-parser, so the configuration check needs no cron-parser (docs/runtime.md, "Bundles").
 */
function impossibleDate(
  expression: string,
  days: ReadonlySet<number>,
  months: ReadonlySet<number>,
  dayOfWeek: string,
): string | null {
  if (days.size === 0 || (dayOfWeek !== '*' && dayOfWeek !== '?')) return null;
  for (const month of months) for (const day of days) if (day <= (MONTH_DAYS[month - 1] ?? 0)) return null;
  return `cron "${expression}" never matches: no month in it has day ${[...days].join(',')}`;
}

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
  const never = impossibleDate(
    expression,
    read.values[2] ?? new Set(),
    read.values[3] ?? new Set(),
    fields[4] ?? '*',
  );
  if (never !== null) return { ok: false, reason: never };
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
  const [dayOfMonth, month, dayOfWeek] = fields.length === 6 ? [3, 4, 5] : [2, 3, 4];
  const never = impossibleDate(
    expression,
    read.values[dayOfMonth] ?? new Set(),
    read.values[month] ?? new Set(),
    fields[dayOfWeek] ?? '*',
  );
  if (never !== null) return { ok: false, reason: never };
  const cron = wildcardQuestion(fields);
  return fields.length === 6
    ? { ok: true, form: 'six-field', cron: cron.join(' ') }
    : { ok: true, form: 'five-field', cron: ['0', ...cron].join(' ') };
}

/**
 * The grammar check and conversion of `parseCron` (cron.ts) without its last cron-parser parse:
 * a day of month none of the months has (31 February) is refused here too, so the verdicts
 * agree (cron.spec.ts's property). For the configuration check, which every bundle runs, and
 * for the schedule functions, which parse the result anyway.
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

/** Is `timeZone` an IANA zone name the runtime knows? */
export function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
