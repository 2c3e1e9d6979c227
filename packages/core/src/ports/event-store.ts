import type { IsoTime } from '../shared/brand';

/** An event as stored: the domain `{type, data}` plus the envelope. */
export interface RecordedEvent<E extends { type: string; data: unknown } = { type: string; data: unknown }> {
  readonly streamId: string;
  /** 1-based position in the stream; the first event has version 1. */
  readonly version: number;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
}

/** Correlation lives in the envelope, never in `evolve`. */
export interface EventMetadata {
  readonly recordedAt: IsoTime;
  /** e.g. the GitHub delivery id or the SQS message id that caused this append. */
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * A summary of a stream's current state, written atomically with the events of an append
 * so the control plane can query open jobs and live runners without scanning. It is a
 * pure projection of the stream's state (see application/stream-heads.ts).
 */
export interface StreamHead {
  readonly streamType: 'job' | 'runner' | 'pool';
  /** Open heads are listed by `StreamIndex.listOpen`; closed ones are not. */
  readonly open: boolean;
  /** Partition for `listOpen(streamType, group)`: the pool id for runners. */
  readonly group: string | null;
  /** Lookup key for `findByLookupKey`: the instance id for runners. */
  readonly lookupKey: string | null;
  /** Second lookup key: the GitHub runner name for runners. */
  readonly alternateKey: string | null;
  /** JSON-native projection (JobView / RunnerView). */
  readonly view: Readonly<Record<string, unknown>>;
}

export interface AppendOptions {
  readonly metadata: EventMetadata;
  /** The stream's new head, stored in the same atomic write as the events. */
  readonly head?: StreamHead;
  /**
   * The stream has ended: every item of it may be deleted after this time (DynamoDB TTL).
   */
  readonly expiresAt?: IsoTime;
  /**
   * The stream never has a snapshot (its definition saves none), so its items are its events
   * and its head: a store may then expire the earlier events in the same write as the
   * terminal append instead of looking the stream's items up afterwards.
   */
  readonly noSnapshot?: boolean;
}

export interface ReadOptions {
  /** Only events with version > afterVersion (used after a snapshot). */
  readonly afterVersion?: number;
}

export interface StreamSlice {
  /** The stream's current version (0 for a stream with no events). */
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

/**
 * Append-only event streams with optimistic concurrency.
 *
 * Contract (checked by `eventStoreContract` in core's testing entry):
 * - `readStream` of an unknown stream returns `{ version: 0, events: [] }`;
 * - reads are strongly consistent and return every event in version order, however many;
 * - `append(id, expectedVersion, events)` succeeds only when the stream's version equals
 *   `expectedVersion` exactly; a stale version AND a version ahead of the stream both throw
 *   `VersionConflictError` (retryable) and write nothing;
 * - a multi-event append is atomic: all events are written or none;
 * - appending `[]` writes nothing and returns `{ version: expectedVersion }` without checking;
 * - of two concurrent appends at the same expected version exactly one succeeds;
 * - infrastructure failures throw `DependencyError` with `retryable` set; SDK errors never escape.
 */
export interface EventStore {
  readStream(streamId: string, options?: ReadOptions): Promise<StreamSlice>;
  append(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<{ readonly version: number }>;
  /**
   * Appends to several streams as ONE atomic write (a decision that spans streams, e.g. a job's
   * runner request and the runner's own, with nothing in between). Contract:
   * - every stream's expected version is checked as `append` checks it; all are written or none;
   * - a conflict on any stream throws `VersionConflictError` naming that stream (the first
   *   one found) and writes nothing, on any stream;
   * - of two concurrent multi-appends sharing a stream at the same expected version exactly one wins;
   * - an entry with no events is neither written nor checked; a stream named twice is a
   *   `RangeError`; more than one store transaction can hold is a non-retryable `DependencyError`;
   * - versions are returned in the order of `appends`.
   * Optional: a store without it (or a wrapper hiding it) is written one stream at a time, as
   * before the method existed — callers keep that path crash-safe on its own.
   */
  appendAll?(appends: readonly StreamAppend[]): Promise<readonly { readonly version: number }[]>;
}

/** One stream's part of an `appendAll`: what `append` takes, as a record. */
export interface StreamAppend {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly { type: string; data: unknown }[];
  readonly options: AppendOptions;
}

/**
 * Snapshots of folded state, so long-lived streams (a pool's) read in bounded time.
 * A snapshot is an optimisation: losing one only makes the next read longer.
 */
export interface SnapshotStore {
  loadSnapshot(streamId: string): Promise<{ readonly version: number; readonly state: unknown } | null>;
  /** Keeps the snapshot with the highest version; an older one never replaces a newer one. */
  saveSnapshot(streamId: string, version: number, state: unknown): Promise<void>;
  /**
   * The latest snapshot and the stream's events after it, as `loadSnapshot` then
   * `readStream(id, { afterVersion })` would return them, in one read where the store can
   * (DynamoDB: one Query over the partition instead of a GetItem and a Query). Optional: a
   * store without it is read the two-call way.
   */
  readFromSnapshot?(streamId: string, options?: SnapshotReadOptions): Promise<SnapshotRead>;
}

export interface SnapshotReadOptions {
  /** How often the stream is snapshotted: the tail after a snapshot is usually shorter (a read-size hint). */
  readonly snapshotEvery?: number;
}

export interface SnapshotRead {
  readonly snapshot: { readonly version: number; readonly state: unknown } | null;
  /** Events after the snapshot's version (all of them without one) and the stream's version. */
  readonly slice: StreamSlice;
}

/**
 * Queries over stream heads; never a table scan.
 *
 * `listOpen` and `findByLookupKey` read an index that is **eventually consistent** (DynamoDB
 * global secondary indexes): a head written moments ago may be missing, and a head may be
 * returned at an earlier version (a runner that just ended still listed open). A decision
 * taken on them must be re-checked on a consistent read (`readHeads`, or the stream) or be one
 * that a missing entry only delays (docs/table-design.md, "Index reads and lag").
 */
export interface StreamIndex {
  /** Open heads of a type, optionally only one group (e.g. one pool's runners). May lag. */
  listOpen(streamType: StreamHead['streamType'], group?: string): Promise<readonly StreamHeadRecord[]>;
  /** The head whose `lookupKey` (or `alternateKey`) equals `key`, open or not. May lag. */
  findByLookupKey(streamType: StreamHead['streamType'], key: string): Promise<StreamHeadRecord | null>;
  /**
   * The current heads of these streams, read consistently (by key, not from an index), in no
   * particular order; streams without a head are left out and a repeated id counts once.
   */
  readHeads(streamIds: readonly string[]): Promise<readonly StreamHeadRecord[]>;
}

export interface StreamHeadRecord extends StreamHead {
  readonly streamId: string;
  readonly version: number;
}
