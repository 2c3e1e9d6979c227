import type {
  AppendOptions,
  EventStore,
  ReadOptions,
  RecordedEvent,
  SnapshotRead,
  SnapshotStore,
  StreamHead,
  StreamAppend,
  StreamHeadRecord,
  StreamIndex,
  StreamSlice,
} from '../ports/event-store';
import { VersionConflictError } from '../shared/errors';

interface StoredStream {
  readonly events: RecordedEvent[];
  head: StreamHead | null;
  expiresAt: string | null;
  snapshot: { readonly version: number; readonly state: unknown } | null;
}

type Operation =
  'append' | 'readStream' | 'loadSnapshot' | 'saveSnapshot' | 'listOpen' | 'findByLookupKey' | 'readHeads';

/** JSON in, JSON out: what a real store would keep, and no aliasing with the caller's objects. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/**
 * The in-memory twin of the DynamoDB event store: same contract (it passes
 * `eventStoreContract`), deterministic, synchronous inside each call so concurrent appends at
 * one version have exactly one winner. Counters and one-off faults make use-case tests able
 * to see and provoke what the real store does.
 */
export class InMemoryEventStore implements EventStore, SnapshotStore, StreamIndex {
  private readonly streams = new Map<string, StoredStream>();
  private readonly faults = new Map<Operation, Error>();
  private conflicts = 0;
  /** Appends that wrote events (empty and failed appends do not count). */
  appendCount = 0;
  /** `readStream` calls, and the events they returned in total. */
  readCount = 0;
  eventsRead = 0;

  /** The next call of `operation` throws `error` (once) and changes nothing. */
  failNext(operation: Operation, error: Error): void {
    this.faults.set(operation, error);
  }

  /** The next non-empty append loses a race it never saw: VersionConflictError, nothing written. */
  conflictNextAppend(): void {
    this.conflicts += 1;
  }

  /** When the stream's items may be deleted (the last `expiresAt` appended), if ever. */
  expiresAt(streamId: string): string | null {
    return this.streams.get(streamId)?.expiresAt ?? null;
  }

  /** Every stream id, in the order they were first written. */
  streamIds(): readonly string[] {
    return [...this.streams.keys()];
  }

  async readStream(streamId: string, options?: ReadOptions): Promise<StreamSlice> {
    this.throwInjected('readStream');
    this.readCount += 1;
    const stored = this.streams.get(streamId)?.events ?? [];
    const events = stored.slice(options?.afterVersion ?? 0).map(copy);
    this.eventsRead += events.length;
    return {
      version: events.at(-1)?.version ?? Math.min(stored.length, options?.afterVersion ?? Infinity),
      events,
    };
  }

  async readBackward(
    streamId: string,
    options: { readonly limit: number; readonly toVersion?: number },
  ): Promise<readonly RecordedEvent[]> {
    this.throwInjected('readStream');
    const stored = this.streams.get(streamId)?.events ?? [];
    const end = Math.min(stored.length, options.toVersion ?? stored.length);
    return stored
      .slice(Math.max(0, end - options.limit), end)
      .reverse()
      .map(copy);
  }

  async readEventsUpTo(
    streams: readonly { readonly streamId: string; readonly version: number }[],
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
    this.throwInjected('readStream');
    return new Map(
      streams.map(({ streamId, version }) => [
        streamId,
        (this.streams.get(streamId)?.events ?? []).slice(0, version).map(copy),
      ]),
    );
  }

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<{ readonly version: number }> {
    const [appended] = this.commit([{ streamId, expectedVersion, events, options }]);
    return appended ?? { version: expectedVersion };
  }

  async appendAll(appends: readonly StreamAppend[]): Promise<readonly { readonly version: number }[]> {
    return this.commit(appends);
  }

  /** Checks every stream's version, then writes them all, synchronously: atomic. */
  private commit(appends: readonly StreamAppend[]): readonly { readonly version: number }[] {
    const ids = appends.map((part) => part.streamId);
    if (new Set(ids).size !== ids.length) throw new RangeError(`a stream is named twice: ${ids.join(', ')}`);
    const writes = appends.filter((part) => part.events.length > 0);
    const versions = appends.map((part) => ({ version: part.expectedVersion + part.events.length }));
    if (writes.length === 0) return versions;
    this.throwInjected('append');
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      throw new VersionConflictError(writes[0]!.streamId, writes[0]!.expectedVersion, null);
    }
    for (const { streamId, expectedVersion } of writes) {
      const actual = this.streams.get(streamId)?.events.length ?? 0;
      if (actual !== expectedVersion) throw new VersionConflictError(streamId, expectedVersion, actual);
    }
    for (const part of writes) this.write(part);
    this.appendCount += 1;
    return versions;
  }

  private write({ streamId, expectedVersion, events, options }: StreamAppend): void {
    const stream = this.streams.get(streamId);
    const recorded = events.map((event, i) =>
      copy({
        streamId,
        version: expectedVersion + i + 1,
        type: event.type,
        data: event.data,
        metadata: options.metadata,
      }),
    );
    const target = stream ?? { events: [], head: null, expiresAt: null, snapshot: null };
    target.events.push(...recorded);
    if (options.head) target.head = copy(options.head);
    if (options.expiresAt !== undefined) target.expiresAt = options.expiresAt;
    this.streams.set(streamId, target);
  }

  async loadSnapshot(
    streamId: string,
  ): Promise<{ readonly version: number; readonly state: unknown } | null> {
    this.throwInjected('loadSnapshot');
    return copy(this.streams.get(streamId)?.snapshot ?? null);
  }

  /** One read: counted once in `readCount`, as DynamoDB makes it one Query. */
  async readFromSnapshot(streamId: string): Promise<SnapshotRead> {
    this.throwInjected('loadSnapshot');
    const snapshot = copy(this.streams.get(streamId)?.snapshot ?? null);
    const slice = await this.readStream(streamId, snapshot ? { afterVersion: snapshot.version } : undefined);
    return { snapshot, slice };
  }

  async saveSnapshot(streamId: string, version: number, state: unknown): Promise<void> {
    this.throwInjected('saveSnapshot');
    const stream = this.streams.get(streamId) ?? { events: [], head: null, expiresAt: null, snapshot: null };
    if (stream.snapshot && stream.snapshot.version >= version) return;
    stream.snapshot = copy({ version, state });
    this.streams.set(streamId, stream);
  }

  async listOpen(streamType: StreamHead['streamType'], group?: string): Promise<readonly StreamHeadRecord[]> {
    this.throwInjected('listOpen');
    return this.heads().filter(
      (head) => head.streamType === streamType && head.open && (group === undefined || head.group === group),
    );
  }

  async findByLookupKey(streamType: StreamHead['streamType'], key: string): Promise<StreamHeadRecord | null> {
    this.throwInjected('findByLookupKey');
    const heads = this.heads().filter((head) => head.streamType === streamType);
    return (
      heads.find((head) => head.lookupKey === key) ?? heads.find((head) => head.alternateKey === key) ?? null
    );
  }

  async readHeads(streamIds: readonly string[]): Promise<readonly StreamHeadRecord[]> {
    this.throwInjected('readHeads');
    const wanted = new Set(streamIds);
    return this.heads().filter((head) => wanted.has(head.streamId));
  }

  private heads(): StreamHeadRecord[] {
    const heads: StreamHeadRecord[] = [];
    for (const [streamId, stream] of this.streams) {
      if (stream.head) heads.push({ ...copy(stream.head), streamId, version: stream.events.length });
    }
    return heads;
  }

  private throwInjected(operation: Operation): void {
    const error = this.faults.get(operation);
    if (!error) return;
    this.faults.delete(operation);
    throw error;
  }
}
