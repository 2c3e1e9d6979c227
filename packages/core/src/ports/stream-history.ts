import type { RecordedEvent } from './event-store';

/**
 * Read-side access to the recent past of a long stream (a pool's), for operators' tools.
 * Decisions never use it: they read whole streams (from a snapshot) through `EventStore`.
 *
 * Contract (checked by `streamHistoryContract` in core's testing entry):
 * - events come newest first, at most `limit` of them, each with version ≤ `toVersion`
 *   (the newest when absent); an unknown stream gives `[]`;
 * - paging back is `readBackward(id, { limit, toVersion: oldestSeen.version - 1 })`;
 * - `readEventsUpTo` returns, per stream, its events 1..version in order (the versions come
 *   from heads just read with `StreamIndex.readHeads`, so every event is a known key: batched
 *   key lookups, never a query per stream).
 */
export interface StreamHistory {
  readEventsUpTo(
    streams: readonly { readonly streamId: string; readonly version: number }[],
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>>;
  readBackward(
    streamId: string,
    options: { readonly limit: number; readonly toVersion?: number },
  ): Promise<readonly RecordedEvent[]>;
}
