// A workload trace: when jobs are queued, where, with which `runs-on` labels and for how long.
import { toIso, toMillis, type IsoTime } from '../../packages/core/src/index';

/** One queued workflow job of the simulation. */
export interface TraceJob {
  /** A number unique in the trace (becomes the GitHub job id). */
  readonly id: number;
  /** Whole minutes after the trace's start. */
  readonly atMinute: number;
  readonly owner: string;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly durationMinutes: number;
}

export interface Trace {
  readonly start: IsoTime;
  readonly jobs: readonly TraceJob[];
}

export type TraceResult =
  { readonly ok: true; readonly trace: Trace } | { readonly ok: false; readonly problems: readonly string[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const wholeNumber = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min;

function validStart(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    toMillis(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a parsed trace. Entries give `atMinute` (after `start`) or `at` (ISO time, whole
 * minutes), and `count` repeats an entry (a burst); jobs come out ordered by arrival.
 */
export function readTrace(document: unknown): TraceResult {
  if (!isRecord(document))
    return { ok: false, problems: ['trace: must be a JSON object with "start" and "jobs"'] };
  const problems: string[] = [];
  if (!validStart(document.start)) problems.push('trace.start: must be an ISO-8601 time');
  if (!Array.isArray(document.jobs) || document.jobs.length === 0)
    problems.push('trace.jobs: must be a non-empty list');
  if (problems.length > 0) return { ok: false, problems };
  const start = toIso(toMillis(document.start as string));
  const jobs: TraceJob[] = [];
  (document.jobs as unknown[]).forEach((entry, index) => {
    const where = `trace.jobs[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    let atMinute: number | null = null;
    if (entry.atMinute !== undefined) {
      if (wholeNumber(entry.atMinute, 0)) atMinute = entry.atMinute;
      else problems.push(`${where}.atMinute: must be a whole number ≥ 0`);
    } else if (validStart(entry.at)) {
      const minutes = (toMillis(entry.at) - toMillis(start)) / 60_000;
      if (Number.isInteger(minutes) && minutes >= 0) atMinute = minutes;
      else problems.push(`${where}.at: must be a whole minute at or after trace.start`);
    } else problems.push(`${where}: needs "atMinute" or an ISO "at"`);
    const labels = entry.labels;
    if (!Array.isArray(labels) || labels.length === 0 || labels.some((label) => typeof label !== 'string'))
      problems.push(`${where}.labels: must be a non-empty list of strings`);
    for (const key of ['owner', 'repo'] as const) {
      if (typeof entry[key] !== 'string' || entry[key] === '')
        problems.push(`${where}.${key}: must be a name`);
    }
    if (!wholeNumber(entry.durationMinutes, 1))
      problems.push(`${where}.durationMinutes: must be a whole number ≥ 1`);
    const count = entry.count ?? 1;
    if (!wholeNumber(count, 1) || count > 10_000)
      problems.push(`${where}.count: must be a whole number 1–10000`);
    if (problems.length > 0 || atMinute === null) return;
    for (let n = 0; n < (count as number); n += 1) {
      jobs.push({
        id: 0,
        atMinute,
        owner: entry.owner as string,
        repo: entry.repo as string,
        labels: labels as string[],
        durationMinutes: entry.durationMinutes as number,
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  const ordered = jobs
    .map((job, order) => ({ job, order }))
    .sort((a, b) => a.job.atMinute - b.job.atMinute || a.order - b.order)
    .map(({ job }, index) => ({ ...job, id: index + 1 }));
  return { ok: true, trace: { start, jobs: ordered } };
}
