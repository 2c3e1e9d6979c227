import { JobId } from '@hangar/core';

/**
 * A job as people paste it: the numeric id, or a job URL from the Actions UI
 * (`https://github.com/<owner>/<repo>/actions/runs/<run>/job/<job>`, also on GHES hosts).
 */
export function parseJobRef(text: string): JobId | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return JobId(trimmed);
  const match =
    /\/actions\/runs\/\d+\/job\/(\d+)(?:[/?#]|$)/.exec(trimmed) ?? /\/jobs?\/(\d+)(?:[/?#]|$)/.exec(trimmed);
  return match?.[1] ? JobId(match[1]) : null;
}
