import { jobStreamId } from '../job/job.decider';
import { poolDecider, poolStreamId, POOL_SNAPSHOT_EVERY } from '../pool/pool.decider';
import type { PoolEvent } from '../pool/pool.events';
import type { PoolState } from '../pool/pool.state';
import type {
  EventStore,
  RecordedEvent,
  SnapshotStore,
  StreamHeadRecord,
  StreamIndex,
} from '../ports/event-store';
import type { StreamHistory } from '../ports/stream-history';
import { runnerStreamId } from '../runner/runner.decider';
import { loadStream } from '../application/handle-command';
import { toMillis, type IsoTime, type JobId, type RunnerId } from '../shared/brand';
import {
  eventTime,
  jobHistory,
  runnerHistory,
  type JobHistory,
  type Recorded,
  type RunnerHistory,
} from './histories';

/** What the read side needs: key lookups, the head indexes and backward reads. Never a scan. */
export interface ReadDeps {
  readonly eventStore: EventStore;
  readonly snapshots: SnapshotStore;
  readonly index: StreamIndex;
  readonly history: StreamHistory;
  /** Stream reads in flight at once (default 16). */
  readonly concurrency?: number;
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function readJob(deps: Pick<ReadDeps, 'eventStore'>, jobId: JobId): Promise<JobHistory> {
  const { events } = await deps.eventStore.readStream(jobStreamId(jobId));
  return jobHistory(jobId, events);
}

export async function readRunner(
  deps: Pick<ReadDeps, 'eventStore'>,
  runnerId: RunnerId,
): Promise<RunnerHistory> {
  const { events } = await deps.eventStore.readStream(runnerStreamId(runnerId));
  return runnerHistory(runnerId, events);
}

export function readRunners(
  deps: Pick<ReadDeps, 'eventStore' | 'concurrency'>,
  runnerIds: readonly RunnerId[],
): Promise<RunnerHistory[]> {
  return mapLimit(runnerIds, deps.concurrency ?? 16, (runnerId) => readRunner(deps, runnerId));
}

/** Streams per chunk of key lookups: about one batched call of heads and one of events each. */
const CHUNK = 50;

/**
 * Many streams by key lookups only: their heads (strongly consistent, for the versions), then
 * every event as a known key — a few batched calls however many streams, instead of one query
 * per stream. The streams go in chunks of 50 read side by side (at most 4 at once), so the
 * answer takes about two calls' time instead of two per hundred streams. Streams without a
 * head come back empty.
 */
export async function readStreamsByKey(
  deps: Pick<ReadDeps, 'history' | 'index'>,
  streamIds: readonly string[],
): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
  const read = await mapLimit(chunks([...new Set(streamIds)], CHUNK), 4, async (chunk) => {
    const heads = await deps.index.readHeads(chunk);
    return deps.history.readEventsUpTo(
      heads.map((head) => ({ streamId: head.streamId, version: head.version })),
    );
  });
  return new Map(read.flatMap((events) => [...events]));
}

/**
 * Streams' events up to versions already known (listed by an index), by key, in chunks side
 * by side: one batched call per hundred events and no read of the heads.
 */
export async function readStreamsAt(
  deps: Pick<ReadDeps, 'history'>,
  heads: readonly { readonly streamId: string; readonly version: number }[],
): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
  const read = await mapLimit(chunks(heads, CHUNK), 4, (chunk) =>
    deps.history.readEventsUpTo(chunk.map(({ streamId, version }) => ({ streamId, version }))),
  );
  return new Map(read.flatMap((events) => [...events]));
}

/** The current heads of many streams, read consistently by key in chunks side by side. */
export async function readHeadsByKey(
  deps: Pick<ReadDeps, 'index'>,
  streamIds: readonly string[],
): Promise<StreamHeadRecord[]> {
  const read = await mapLimit(chunks([...new Set(streamIds)], CHUNK), 4, (chunk) =>
    deps.index.readHeads(chunk),
  );
  return read.flat();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

export async function readRunnersByKey(
  deps: Pick<ReadDeps, 'history' | 'index'>,
  runnerIds: readonly RunnerId[],
): Promise<RunnerHistory[]> {
  const events = await readStreamsByKey(deps, runnerIds.map(runnerStreamId));
  return runnerIds.map((runnerId) => runnerHistory(runnerId, events.get(runnerStreamId(runnerId)) ?? []));
}

/** The runners requested for a job, oldest first (`latestOnly`: just the last one). */
export function requestedRunners(job: JobHistory, latestOnly = false): RunnerId[] {
  const state = job.state;
  if (state.status === 'unknown') return [];
  const ids = state.requests.map((request) => request.runnerId);
  return latestOnly ? ids.slice(-1) : ids;
}

/** A pool's slots: its snapshot plus the events after it, folded (bounded however long the stream). */
export async function readPoolState(deps: ReadDeps, poolId: string): Promise<PoolState> {
  const { state } = await loadStream(
    deps,
    { decider: poolDecider, snapshotEvery: POOL_SNAPSHOT_EVERY },
    poolStreamId(poolId),
  );
  return state;
}

const PAGE = 500;

/** The pool's events since `since`, newest first, read backwards page by page. */
export async function readPoolSince(
  deps: ReadDeps,
  poolId: string,
  since: IsoTime,
): Promise<Recorded<PoolEvent>[]> {
  const from = toMillis(since);
  const found: Recorded<PoolEvent>[] = [];
  let toVersion: number | undefined;
  for (;;) {
    const page = await deps.history.readBackward(poolStreamId(poolId), {
      limit: PAGE,
      ...(toVersion === undefined ? {} : { toVersion }),
    });
    for (const event of page) {
      if (toMillis(eventTime(event)) < from) return found;
      found.push(event as unknown as Recorded<PoolEvent>);
    }
    const oldest = page.at(-1);
    if (page.length < PAGE || !oldest || oldest.version <= 1) return found;
    toVersion = oldest.version - 1;
  }
}
