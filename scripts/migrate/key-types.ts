// The shape of a row of the reference-input tables (runner-keys.ts, instance-keys.ts,
// matcher-keys.ts, deployment-keys.ts); reference-keys.ts reads them.

/**
 * - mapped:   carried over (possibly renamed or reshaped) by the converter
 * - partly:   carried over in part; the converter warns about the rest
 * - built-in: Hangar does this by itself or does not need it; nothing is lost
 * - planned:  no equivalent yet, planned (issue 12) under the name in `hangar`
 * - none:     no equivalent and none planned; `note` says why and what to do instead
 */
export type KeyStatus = 'mapped' | 'partly' | 'built-in' | 'planned' | 'none';

export interface ReferenceKey {
  readonly key: string;
  readonly status: KeyStatus;
  /** Markdown: the Hangar input or runner_configs attribute, or the planned name. */
  readonly hangar: string;
  /** Markdown: what changes, which defaults differ, or why there is no equivalent. */
  readonly note: string;
  /** The reference default; a key left at it (or empty) says nothing worth a warning. */
  readonly default?: unknown;
}

/** One row; `def` is the reference default (omit when there is none worth comparing). */
export const k = (
  key: string,
  status: KeyStatus,
  hangar: string,
  note: string,
  def?: unknown,
): ReferenceKey =>
  def === undefined ? { key, status, hangar, note } : { key, status, hangar, note, default: def };
