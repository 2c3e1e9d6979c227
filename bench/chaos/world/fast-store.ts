import {
  VersionConflictError,
  type AppendOptions,
  type EventStore,
  type ReadOptions,
  type RecordedEvent,
  type SnapshotStore,
  type StreamHead,
  type StreamAppend,
  type StreamHeadRecord,
  type StreamIndex,
  type StreamSlice,
} from '@hangar/core';

interface Stored {
  readonly events: RecordedEvent[];
  head: StreamHeadRecord | null;
  snapshot: { readonly version: number; readonly state: unknown } | null;
}

/** Deep-frozen after one JSON round trip: shared with every reader, mutated by none (strict mode throws). */
function frozen<T>(value: T): T {
  const copy = JSON.parse(JSON.stringify(value)) as T;
  const freeze = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || Object.isFrozen(node)) return;
    Object.freeze(node);
    for (const child of Object.values(node)) freeze(child);
  };
  freeze(copy);
  return copy;
}

/**
 * The event store for the chaos runs: the in-memory twin's contract (expected versions, one
 * winner per version, heads, snapshots) without its defensive copy on every read — events and
 * heads are frozen once when written and shared, which keeps 10,000 schedules affordable.
 */
export class FastEventStore implements EventStore, SnapshotStore, StreamIndex {
  private readonly streams = new Map<string, Stored>();

  /** A stream's events now, synchronously (for observers, never for the handlers). */
  eventsOf(streamId: string): readonly RecordedEvent[] {
    return this.streams.get(streamId)?.events ?? [];
  }

  async readStream(streamId: string, options?: ReadOptions): Promise<StreamSlice> {
    const stored = this.streams.get(streamId)?.events ?? [];
    const after = options?.afterVersion ?? 0;
    const events = after === 0 ? stored.slice() : stored.slice(after);
    return { version: events.at(-1)?.version ?? Math.min(stored.length, after), events };
  }

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<{ readonly version: number }> {
    return this.write(streamId, expectedVersion, events, options);
  }

  private write(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): { readonly version: number } {
    if (events.length === 0) return { version: expectedVersion };
    const stream = this.streams.get(streamId) ?? { events: [], head: null, snapshot: null };
    if (stream.events.length !== expectedVersion)
      throw new VersionConflictError(streamId, expectedVersion, stream.events.length);
    const metadata = frozen(options.metadata);
    events.forEach((event, i) =>
      stream.events.push(
        Object.freeze({
          streamId,
          version: expectedVersion + i + 1,
          type: event.type,
          data: frozen(event.data),
          metadata,
        }),
      ),
    );
    if (options.head) stream.head = frozen({ ...options.head, streamId, version: stream.events.length });
    else if (stream.head) stream.head = Object.freeze({ ...stream.head, version: stream.events.length });
    this.streams.set(streamId, stream);
    return { version: stream.events.length };
  }

  /** Every stream's version checked, then all written, synchronously: atomic (ports/event-store.ts). */
  async appendAll(appends: readonly StreamAppend[]): Promise<readonly { readonly version: number }[]> {
    const ids = appends.map((part) => part.streamId);
    if (new Set(ids).size !== ids.length) throw new RangeError(`a stream is named twice: ${ids.join(', ')}`);
    for (const { streamId, expectedVersion, events } of appends) {
      const actual = this.streams.get(streamId)?.events.length ?? 0;
      if (events.length > 0 && actual !== expectedVersion)
        throw new VersionConflictError(streamId, expectedVersion, actual);
    }
    return appends.map((part) => this.write(part.streamId, part.expectedVersion, part.events, part.options));
  }

  async loadSnapshot(
    streamId: string,
  ): Promise<{ readonly version: number; readonly state: unknown } | null> {
    return this.streams.get(streamId)?.snapshot ?? null;
  }

  async saveSnapshot(streamId: string, version: number, state: unknown): Promise<void> {
    const stream = this.streams.get(streamId) ?? { events: [], head: null, snapshot: null };
    if (stream.snapshot && stream.snapshot.version >= version) return;
    stream.snapshot = frozen({ version, state });
    this.streams.set(streamId, stream);
  }

  async listOpen(streamType: StreamHead['streamType'], group?: string): Promise<readonly StreamHeadRecord[]> {
    const out: StreamHeadRecord[] = [];
    for (const { head } of this.streams.values())
      if (
        head &&
        head.streamType === streamType &&
        head.open &&
        (group === undefined || head.group === group)
      )
        out.push(head);
    return out;
  }

  async findByLookupKey(streamType: StreamHead['streamType'], key: string): Promise<StreamHeadRecord | null> {
    let alternate: StreamHeadRecord | null = null;
    for (const { head } of this.streams.values()) {
      if (!head || head.streamType !== streamType) continue;
      if (head.lookupKey === key) return head;
      if (alternate === null && head.alternateKey === key) alternate = head;
    }
    return alternate;
  }

  async readHeads(streamIds: readonly string[]): Promise<readonly StreamHeadRecord[]> {
    const out: StreamHeadRecord[] = [];
    for (const id of new Set(streamIds)) {
      const head = this.streams.get(id)?.head;
      if (head) out.push(head);
    }
    return out;
  }
}
