import { jobDecider } from '../job/job.decider';
import type { JobEvent } from '../job/job.events';
import type { JobState } from '../job/job.state';
import type { RecordedEvent } from '../ports/event-store';
import { runnerDecider } from '../runner/runner.decider';
import type { RunnerEvent } from '../runner/runner.events';
import type { RunnerState } from '../runner/runner.state';
import { runnerView } from '../application/streams';
import type { RunnerView } from '../scaling/views';
import { fold } from '../shared/decider';
import type { IsoTime, JobId, RunnerId } from '../shared/brand';

/**
 * A stored event of a known stream type, as a discriminated union (so `event.type === 'X'`
 * narrows `data`), with the store's envelope.
 */
export type Recorded<E extends { type: string; data: unknown }> = E extends unknown
  ? E & Pick<RecordedEvent, 'streamId' | 'version' | 'metadata'>
  : never;

/** One job's stream as read, folded by the job decider (the same fold the scaler uses). */
export interface JobHistory {
  readonly jobId: JobId;
  readonly events: readonly Recorded<JobEvent>[];
  readonly state: JobState;
}

/** One runner's stream as read, folded by the runner decider, with its policy view. */
export interface RunnerHistory {
  readonly runnerId: RunnerId;
  readonly events: readonly Recorded<RunnerEvent>[];
  readonly state: RunnerState;
  /** null while the stream holds no request (never requested, or not written yet). */
  readonly view: RunnerView | null;
}

export function jobHistory(jobId: JobId, events: readonly RecordedEvent[]): JobHistory {
  const typed = events as unknown as readonly Recorded<JobEvent>[];
  return { jobId, events: typed, state: fold(jobDecider, typed) };
}

export function runnerHistory(runnerId: RunnerId, events: readonly RecordedEvent[]): RunnerHistory {
  const typed = events as unknown as readonly Recorded<RunnerEvent>[];
  const state = fold(runnerDecider, typed);
  return { runnerId, events: typed, state, view: runnerView(state) };
}

/** The history as it was once the first `count` events had happened (for "what was the reason then"). */
export function jobHistoryUpTo(history: JobHistory, count: number): JobHistory {
  return jobHistory(history.jobId, history.events.slice(0, count));
}

export function runnerHistoryUpTo(history: RunnerHistory, count: number): RunnerHistory {
  return runnerHistory(history.runnerId, history.events.slice(0, count));
}

/**
 * When an event happened in the domain's terms: the time its payload carries (GitHub's
 * `queuedAt`, our `at`...), else when it was stored.
 */
export function eventTime(event: RecordedEvent): IsoTime {
  const data = (event.data ?? {}) as Record<string, unknown>;
  for (const key of ['at', 'queuedAt', 'startedAt', 'completedAt', 'requestedAt', 'launchedAt']) {
    const value = data[key];
    if (typeof value === 'string') return value;
  }
  return event.metadata.recordedAt;
}

/** The last event of one of `types`, if any. */
export function lastOf<E extends { type: string; data: unknown }, T extends E['type']>(
  events: readonly Recorded<E>[],
  type: T,
): Recorded<Extract<E, { type: T }>> | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.type === type) return event as Recorded<Extract<E, { type: T }>>;
  }
  return undefined;
}
