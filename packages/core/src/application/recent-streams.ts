import type { RunnerId } from '../shared/brand';
import type { KnownStream } from './handle-command';

/**
 * Streams as this warm process last read or wrote them (a Lambda container keeps its module
 * state between invocations). A use case may decide on one of them instead of reading the
 * stream (`execute(..., known)`): the append is conditional on that version, so a stream
 * written since makes it conflict and the stream is read as usual — a stale entry costs one
 * failed append, never a wrong write; a rejection or no-op decided on it is decided again on a
 * fresh read. So it is only worth using where this process is usually the stream's last
 * writer (handlers say where), never to answer a question without an append to check it.
 *
 * `endedRunner` remembers lookup keys (instance ids) whose runner was seen terminated: a
 * terminated runner never changes again, so that answer cannot go stale.
 */
export interface RecentStreams {
  get<S>(streamId: string): KnownStream<S> | undefined;
  remember(streamId: string, known: KnownStream<unknown>): void;
  endedRunner(lookupKey: string): RunnerId | undefined;
  rememberEnded(lookupKey: string, runnerId: RunnerId): void;
}

/** Entries kept per kind; the oldest is dropped first (a bounded memory per container). */
export const RECENT_STREAMS_KEPT = 2_000;

/** Insertion-ordered Map as an LRU: touching an entry moves it to the end. */
function touch<V>(map: Map<string, V>, key: string, value: V, kept: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > kept) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

/** The in-process `RecentStreams` one container keeps (built once by the composition root). */
export class RecentStreamCache implements RecentStreams {
  private readonly streams = new Map<string, KnownStream<unknown>>();
  private readonly ended = new Map<string, RunnerId>();

  constructor(private readonly kept = RECENT_STREAMS_KEPT) {}

  get<S>(streamId: string): KnownStream<S> | undefined {
    return this.streams.get(streamId) as KnownStream<S> | undefined;
  }

  remember(streamId: string, known: KnownStream<unknown>): void {
    const previous = this.streams.get(streamId);
    // An older version seen late (concurrent invocations of one container) never replaces a newer one.
    if (previous && previous.version > known.version) return;
    touch(this.streams, streamId, { state: known.state, version: known.version }, this.kept);
  }

  endedRunner(lookupKey: string): RunnerId | undefined {
    return this.ended.get(lookupKey);
  }

  rememberEnded(lookupKey: string, runnerId: RunnerId): void {
    touch(this.ended, lookupKey, runnerId, this.kept);
  }
}
