import type { JobConclusion } from './types';

/** The simulation clock: `now()` in epoch ms (the harness may drive it) and its ISO form. */
export interface SimClock {
  now(): number;
  iso(): string;
}

/** Creates a clock over a `now()` function; ISO strings drop milliseconds, as GitHub's do. */
export function simClock(now: () => number): SimClock {
  return { now, iso: () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/**
 * What happened inside the fake, for harnesses that react to it (e.g. terminate the instance
 * whose ephemeral runner was removed). Listeners run synchronously inside the simulation call
 * that caused the event: they must not throw, and should defer (e.g. `queueMicrotask`) any call
 * back into the fake so they don't act on a half-applied change.
 */
export type SimEvent =
  | { readonly type: 'job-queued'; readonly jobId: number; readonly runId: number; readonly repo: string }
  | { readonly type: 'job-waiting'; readonly jobId: number }
  | { readonly type: 'job-assigned'; readonly jobId: number; readonly runnerId: number }
  | {
      readonly type: 'job-completed';
      readonly jobId: number;
      readonly conclusion: JobConclusion;
      readonly runnerId: number | null;
    }
  | { readonly type: 'runner-registered'; readonly runnerId: number; readonly name: string }
  | { readonly type: 'runner-online'; readonly runnerId: number }
  | { readonly type: 'runner-offline'; readonly runnerId: number }
  | {
      readonly type: 'runner-removed';
      readonly runnerId: number;
      readonly reason: 'deleted' | 'ephemeral-done';
    }
  | { readonly type: 'delivery'; readonly deliveryId: number; readonly guid: string; readonly ok: boolean };
