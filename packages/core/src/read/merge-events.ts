import type { RecordedEvent } from '../ports/event-store';
import type { RunnerId } from '../shared/brand';
import { toMillis } from '../shared/brand';
import { eventTime } from './histories';

/** One event of a job's story, tagged with the stream it came from. */
export interface StoryEvent {
  readonly source: 'job' | RunnerId;
  /** Position of the event in its own stream (0-based): how much of that stream had happened. */
  readonly index: number;
  readonly event: RecordedEvent;
}

/**
 * Merges several streams into one story ordered by when things happened. Each stream keeps
 * its own order (its versions are the truth); between streams the domain time decides, and
 * the storage time breaks ties.
 */
export function mergeByTime(
  streams: readonly { readonly source: 'job' | RunnerId; readonly events: readonly RecordedEvent[] }[],
): StoryEvent[] {
  const cursors = streams.map(() => 0);
  const merged: StoryEvent[] = [];
  for (;;) {
    let best = -1;
    let bestKey: readonly [number, number] = [Infinity, Infinity];
    streams.forEach((stream, s) => {
      const event = stream.events[cursors[s] as number];
      if (!event) return;
      const key = [toMillis(eventTime(event)), toMillis(event.metadata.recordedAt)] as const;
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = s;
        bestKey = key;
      }
    });
    if (best < 0) return merged;
    const stream = streams[best] as (typeof streams)[number];
    const index = cursors[best] as number;
    merged.push({ source: stream.source, index, event: stream.events[index] as RecordedEvent });
    cursors[best] = index + 1;
  }
}
