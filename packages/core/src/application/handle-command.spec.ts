import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import type {
  AppendOptions,
  EventMetadata,
  EventStore,
  ReadOptions,
  RecordedEvent,
  SnapshotStore,
  StreamHead,
  StreamSlice,
} from '../ports/event-store';
import { JobId, RunnerId } from '../shared/brand';
import { ConcurrencyExhaustedError, DependencyError, VersionConflictError } from '../shared/errors';
import type { PoolCommand, PoolRejection } from '../pool/pool.commands';
import { poolDecider } from '../pool/pool.decider';
import type { PoolEvent } from '../pool/pool.events';
import type { PoolState } from '../pool/pool.state';
import type { JobCommand, JobRejection } from '../job/job.commands';
import { jobDecider } from '../job/job.decider';
import type { JobEvent } from '../job/job.events';
import type { JobState } from '../job/job.state';
import { handleCommand, loadStream, type StreamDefinition } from './handle-command';

/**
 * A small event store for these specs only (the shared in-memory twin is written in
 * parallel): it keeps the port's contract — the append succeeds only at the current
 * version, atomically — and records every call so the specs can see what was written.
 */
class SpecEventStore implements EventStore {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly appends: { streamId: string; expectedVersion: number; count: number; options: AppendOptions }[] =
    [];
  readonly reads: { streamId: string; options: ReadOptions | undefined }[] = [];
  /** Runs before each append is checked: lets a spec play a competing writer. */
  beforeAppend: (streamId: string) => void = () => undefined;

  async readStream(streamId: string, options?: ReadOptions): Promise<StreamSlice> {
    this.reads.push({ streamId, options });
    const all = this.streams.get(streamId) ?? [];
    return { version: all.length, events: all.filter((e) => e.version > (options?.afterVersion ?? 0)) };
  }

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<{ readonly version: number }> {
    if (events.length === 0) return { version: expectedVersion };
    this.beforeAppend(streamId);
    const all = this.streams.get(streamId) ?? [];
    if (all.length !== expectedVersion) throw new VersionConflictError(streamId, expectedVersion, all.length);
    const recorded = events.map((e, i) => ({
      streamId,
      version: expectedVersion + i + 1,
      type: e.type,
      data: e.data,
      metadata: options.metadata,
    }));
    this.streams.set(streamId, [...all, ...recorded]);
    this.appends.push({ streamId, expectedVersion, count: events.length, options });
    return { version: expectedVersion + events.length };
  }

  /** Another writer's append, outside handleCommand. */
  appendDirect(streamId: string, event: { type: string; data: unknown }): void {
    const all = this.streams.get(streamId) ?? [];
    const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
    this.streams.set(streamId, [...all, { streamId, version: all.length + 1, ...event, metadata }]);
  }
}

class SpecSnapshots implements SnapshotStore {
  readonly saved: { streamId: string; version: number; state: unknown }[] = [];
  failSaves = false;
  private readonly latest = new Map<string, { version: number; state: unknown }>();

  async loadSnapshot(streamId: string) {
    return this.latest.get(streamId) ?? null;
  }
  async saveSnapshot(streamId: string, version: number, state: unknown): Promise<void> {
    if (this.failSaves) throw new DependencyError('snapshot-store', 'save', 'unavailable', true);
    this.saved.push({ streamId, version, state });
    const current = this.latest.get(streamId);
    if (!current || current.version < version) this.latest.set(streamId, { version, state });
  }
}

type PoolStreamDefinition = StreamDefinition<PoolCommand, PoolEvent, PoolState, PoolRejection>;

const poolHead = (state: PoolState, streamId: string): StreamHead => ({
  streamType: 'pool',
  open: true,
  group: null,
  lookupKey: streamId,
  alternateKey: null,
  view: { alive: state.alive },
});
const pool: PoolStreamDefinition = { decider: poolDecider, head: poolHead };
const stream = 'pool-linux';
const metadata: EventMetadata = { recordedAt: '2026-01-01T10:00:00.000Z', correlationId: 'delivery-1' };
const reserve = (runner: string, maxRunners: number): PoolCommand => ({
  type: 'ReserveRunnerSlot',
  data: { runnerId: RunnerId(runner), jobId: null, maxRunners, at: metadata.recordedAt },
});
const release = (runner: string): PoolCommand => ({
  type: 'ReleaseRunnerSlot',
  data: { runnerId: RunnerId(runner), at: metadata.recordedAt },
});
const reservedEvent = (runner: string) => ({
  type: 'RunnerSlotReserved',
  data: { runnerId: RunnerId(runner), jobId: null, at: metadata.recordedAt },
});

describe('handleCommand', () => {
  it('a known state skips the first read and appends at its version', async () => {
    const eventStore = new SpecEventStore();
    const first = await handleCommand({ eventStore }, pool, stream, reserve('r-1', 3), metadata);
    const reads = eventStore.reads.length;
    const known = { state: first.state, version: first.version };
    const second = await handleCommand(
      { eventStore },
      pool,
      stream,
      reserve('r-2', 3),
      metadata,
      undefined,
      known,
    );

    expect(eventStore.reads).toHaveLength(reads);
    expect(second).toMatchObject({ outcome: 'accepted', version: 2, conflicts: 0, state: { alive: 2 } });
  });

  it('a stale known state is read again and decided on the fresh state, not counted as contention', async () => {
    const eventStore = new SpecEventStore();
    const first = await handleCommand({ eventStore }, pool, stream, reserve('r-1', 2), metadata);
    eventStore.appendDirect(stream, reservedEvent('r-9'));
    const result = await handleCommand({ eventStore }, pool, stream, reserve('r-2', 2), metadata, undefined, {
      state: first.state,
      version: first.version,
    });

    // The pool filled up meanwhile: the decision made on the fresh read wins. The failed append
    // on the stale version is not contention (VersionConflicts counts racing writers only).
    expect(result).toMatchObject({ outcome: 'rejected', conflicts: 0, state: { alive: 2 } });
  });

  it('appends the decided events at the version read, with the metadata and the new head', async () => {
    const eventStore = new SpecEventStore();
    const result = await handleCommand({ eventStore }, pool, stream, reserve('r-1', 2), metadata);

    expect(result).toMatchObject({ outcome: 'accepted', version: 1, conflicts: 0, state: { alive: 1 } });
    expect(eventStore.appends).toEqual([
      {
        streamId: stream,
        expectedVersion: 0,
        count: 1,
        options: { metadata, head: poolHead(result.state, stream), expiresAt: undefined, noSnapshot: true },
      },
    ]);
    expect(eventStore.streams.get(stream)?.[0]).toMatchObject({
      version: 1,
      metadata,
      ...reservedEvent('r-1'),
    });
  });

  it('a rejected command appends nothing and returns the rejection with the state read', async () => {
    const eventStore = new SpecEventStore();
    eventStore.appendDirect(stream, reservedEvent('r-1'));
    const result = await handleCommand({ eventStore }, pool, stream, reserve('r-2', 1), metadata);

    expect(result).toEqual({
      outcome: 'rejected',
      rejection: { reason: 'max-runners-reached', alive: 1, max: 1 },
      state: expect.objectContaining({ alive: 1 }),
      version: 1,
      conflicts: 0,
    });
    expect(eventStore.appends).toEqual([]);
  });

  it('an idempotent repeat appends nothing and reports no events', async () => {
    const eventStore = new SpecEventStore();
    await handleCommand({ eventStore }, pool, stream, reserve('r-1', 2), metadata);
    const again = await handleCommand({ eventStore }, pool, stream, reserve('r-1', 2), metadata);

    expect(again).toMatchObject({ outcome: 'accepted', events: [], version: 1 });
    expect(eventStore.appends).toHaveLength(1);
  });

  it('two concurrent reservations for the last slot: one is accepted, the other rejected after re-reading', async () => {
    const eventStore = new SpecEventStore();
    eventStore.appendDirect(stream, reservedEvent('r-0'));
    // Hold both first reads until both have read version 1, so both decide on the same state.
    let readers = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const read = eventStore.readStream.bind(eventStore);
    eventStore.readStream = async (id, options) => {
      const slice = await read(id, options);
      readers += 1;
      if (readers === 2) bothRead();
      if (readers <= 2) await barrier;
      return slice;
    };

    const results = await Promise.all([
      handleCommand({ eventStore }, pool, stream, reserve('r-a', 2), metadata),
      handleCommand({ eventStore }, pool, stream, reserve('r-b', 2), metadata),
    ]);

    const accepted = results.filter((r) => r.outcome === 'accepted');
    const rejected = results.filter((r) => r.outcome === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ conflicts: 0, version: 2 });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      conflicts: 1,
      version: 2,
      rejection: { reason: 'max-runners-reached', alive: 2, max: 2 },
    });
    expect(eventStore.streams.get(stream)).toHaveLength(2);
  });

  it('a conflict is re-decided on the new state and appended at the new version', async () => {
    const eventStore = new SpecEventStore();
    let competitorWrote = false;
    eventStore.beforeAppend = (id) => {
      if (competitorWrote) return;
      competitorWrote = true;
      eventStore.appendDirect(id, reservedEvent('r-other'));
    };
    const backoffs: number[] = [];
    const result = await handleCommand(
      { eventStore, backoff: async (attempt) => void backoffs.push(attempt) },
      pool,
      stream,
      reserve('r-1', 5),
      metadata,
    );

    expect(result).toMatchObject({ outcome: 'accepted', conflicts: 1, version: 2, state: { alive: 2 } });
    expect(eventStore.appends.map((a) => a.expectedVersion)).toEqual([1]);
    expect(backoffs).toEqual([1]);
  });

  it('conflicts on every attempt exhaust the retries with a retryable ConcurrencyExhaustedError', async () => {
    const eventStore = new SpecEventStore();
    eventStore.beforeAppend = (id) =>
      eventStore.appendDirect(id, {
        type: 'RunnerSlotReleased',
        data: { runnerId: 'x', at: metadata.recordedAt },
      });
    const backoffs: number[] = [];
    const attempt = handleCommand(
      { eventStore, backoff: async (n) => void backoffs.push(n) },
      pool,
      stream,
      reserve('r-1', 5),
      metadata,
      2,
    );

    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConcurrencyExhaustedError);
    expect(error).toMatchObject({ streamId: stream, attempts: 3, retryable: true });
    expect((error as Error).cause).toBeInstanceOf(VersionConflictError);
    expect(backoffs).toEqual([1, 2]);
    expect(eventStore.appends).toEqual([]);
  });

  it('an infrastructure failure on append is thrown at once, not retried', async () => {
    const eventStore = new SpecEventStore();
    const failure = new DependencyError('dynamodb', 'TransactWriteItems', 'throttled', true);
    eventStore.beforeAppend = () => {
      throw failure;
    };
    const reads = eventStore.reads;
    await expect(handleCommand({ eventStore }, pool, stream, reserve('r-1', 5), metadata)).rejects.toBe(
      failure,
    );
    expect(reads).toHaveLength(1);
  });

  describe('snapshots', () => {
    const snapshotted: PoolStreamDefinition = { decider: poolDecider, snapshotEvery: 3 };

    it('a snapshot is written when an append crosses a multiple of snapshotEvery, and only then', async () => {
      const eventStore = new SpecEventStore();
      const snapshots = new SpecSnapshots();
      for (const runner of ['r-1', 'r-2', 'r-3', 'r-4']) {
        await handleCommand({ eventStore, snapshots }, snapshotted, stream, reserve(runner, 10), metadata);
      }
      expect(snapshots.saved.map((s) => s.version)).toEqual([3]);
      expect(snapshots.saved[0]?.state).toMatchObject({ alive: 3 });
    });

    it('the stream is read from the snapshot on: only the events after it are folded', async () => {
      const eventStore = new SpecEventStore();
      const snapshots = new SpecSnapshots();
      for (const runner of ['r-1', 'r-2', 'r-3', 'r-4']) {
        await handleCommand({ eventStore, snapshots }, snapshotted, stream, reserve(runner, 10), metadata);
      }
      eventStore.reads.length = 0;
      const loaded = await loadStream({ eventStore, snapshots }, snapshotted, stream);

      expect(eventStore.reads).toEqual([{ streamId: stream, options: { afterVersion: 3 } }]);
      expect(loaded).toEqual({
        version: 4,
        state: await loadStream({ eventStore }, pool, stream).then((l) => l.state),
      });
    });

    it('the snapshot state is what the decision starts from', async () => {
      const eventStore = new SpecEventStore();
      const snapshots = new SpecSnapshots();
      eventStore.appendDirect(stream, reservedEvent('r-1'));
      // A snapshot says the pool is full at version 1: the decision must use it, not replay.
      await snapshots.saveSnapshot(stream, 1, {
        slots: { a: {}, b: {} },
        alive: 2,
        reservedTotal: 2,
        releasedTotal: 0,
      });
      const result = await handleCommand(
        { eventStore, snapshots },
        snapshotted,
        stream,
        reserve('r-9', 2),
        metadata,
      );
      expect(result).toMatchObject({ outcome: 'rejected', rejection: { alive: 2 } });
    });

    it('a failed snapshot write does not fail the command', async () => {
      const eventStore = new SpecEventStore();
      const snapshots = new SpecSnapshots();
      snapshots.failSaves = true;
      for (const runner of ['r-1', 'r-2']) {
        await handleCommand({ eventStore, snapshots }, snapshotted, stream, reserve(runner, 10), metadata);
      }
      const third = await handleCommand(
        { eventStore, snapshots },
        snapshotted,
        stream,
        reserve('r-3', 10),
        metadata,
      );
      expect(third).toMatchObject({ outcome: 'accepted', version: 3 });
    });

    it('without snapshotEvery no snapshot is read or written', async () => {
      const eventStore = new SpecEventStore();
      const snapshots = new SpecSnapshots();
      for (const runner of ['r-1', 'r-2', 'r-3']) {
        await handleCommand({ eventStore, snapshots }, pool, stream, reserve(runner, 10), metadata);
      }
      expect(snapshots.saved).toEqual([]);
      expect(eventStore.reads.every((r) => r.options === undefined)).toBe(true);
    });
  });

  describe('retention', () => {
    const jobs: StreamDefinition<JobCommand, JobEvent, JobState, JobRejection> = {
      decider: jobDecider,
      retentionMs: 24 * 3_600_000,
    };
    const completed: JobCommand = {
      type: 'RecordJobCompleted',
      data: { conclusion: 'success', runnerName: null, completedAt: metadata.recordedAt },
    };
    const started: JobCommand = {
      type: 'RecordJobStarted',
      data: { runnerName: null, githubRunnerId: null, startedAt: metadata.recordedAt },
    };

    it('an append that ends the stream sets its expiry to recordedAt plus retention', async () => {
      const eventStore = new SpecEventStore();
      await handleCommand({ eventStore }, jobs, `job-${JobId(1)}`, completed, metadata);
      expect(eventStore.appends[0]?.options.expiresAt).toBe('2026-01-02T10:00:00.000Z');
    });

    it('an append that leaves the stream open sets no expiry', async () => {
      const eventStore = new SpecEventStore();
      await handleCommand({ eventStore }, jobs, `job-${JobId(1)}`, started, metadata);
      expect(eventStore.appends[0]?.options.expiresAt).toBeUndefined();
    });
  });

  it('under any scheduling of K concurrent reservations on one pool stream, alive never exceeds maxRunners', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        async (s, maxRunners, k, alreadyAlive) => {
          const eventStore = new SpecEventStore();
          for (let i = 0; i < Math.min(alreadyAlive, maxRunners); i += 1) {
            eventStore.appendDirect(stream, reservedEvent(`r-old-${i}`));
          }
          const before = Math.min(alreadyAlive, maxRunners);
          // Every store call resolves when the scheduler says so: any interleaving of reads and appends.
          const scheduled: EventStore = {
            readStream: s.scheduleFunction(eventStore.readStream.bind(eventStore)),
            append: s.scheduleFunction(eventStore.append.bind(eventStore)),
          };
          const commands = Array.from({ length: k }, (_, i) =>
            handleCommand(
              { eventStore: scheduled },
              pool,
              stream,
              reserve(`r-new-${i}`, maxRunners),
              metadata,
              k,
            ),
          );
          const all = Promise.all(commands);
          await s.waitFor(all);
          const results = await all;

          const { state } = await loadStream({ eventStore }, pool, stream);
          expect(state.alive).toBeLessThanOrEqual(maxRunners);
          const accepted = results.filter((r) => r.outcome === 'accepted').length;
          expect(accepted).toBe(Math.min(k, maxRunners - before));
          expect(state.alive).toBe(before + accepted);
          expect(results.every((r) => r.conflicts < k)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('under any scheduling of concurrent batch reservations, single reservations, releases and stale known states on one pool stream, alive never exceeds maxRunners and no runner holds two slots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 6 }),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('batch' as const), size: fc.integer({ min: 1, max: 5 }) }),
            fc.record({ kind: fc.constant('single' as const), size: fc.constant(1) }),
            fc.record({ kind: fc.constant('release' as const), size: fc.constant(1) }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        async (s, maxRunners, writers, staleKnown) => {
          const eventStore = new SpecEventStore();
          eventStore.appendDirect(stream, reservedEvent('r-old'));
          const scheduled: EventStore = {
            readStream: s.scheduleFunction(eventStore.readStream.bind(eventStore)),
            append: s.scheduleFunction(eventStore.append.bind(eventStore)),
          };
          // A batch that starts from the stream as it was before anything ran (its known state
          // is stale as soon as another writer appends) must still never overshoot.
          const known = staleKnown ? await loadStream({ eventStore }, pool, stream) : undefined;
          const granted: string[] = [];
          const commands = writers.map((writer, w) => {
            const command: PoolCommand =
              writer.kind === 'batch'
                ? {
                    type: 'ReserveRunnerSlots',
                    data: {
                      requests: Array.from({ length: writer.size }, (_, i) => ({
                        runnerId: RunnerId(`r-${w}-${i}`),
                        jobId: null,
                      })),
                      maxRunners,
                      at: metadata.recordedAt,
                    },
                  }
                : writer.kind === 'single'
                  ? reserve(`r-${w}-0`, maxRunners)
                  : release('r-old');
            return handleCommand({ eventStore: scheduled }, pool, stream, command, metadata, 20, known).then(
              (result) => {
                if (writer.kind === 'release') return;
                for (let i = 0; i < writer.size; i += 1)
                  if (result.state.slots[`r-${w}-${i}`]) granted.push(`r-${w}-${i}`);
              },
            );
          });
          const all = Promise.all(commands);
          await s.waitFor(all);
          await all;
          const { state } = await loadStream({ eventStore }, pool, stream);
          const slotEvents = (eventStore.streams.get(stream) ?? []).filter(
            (e) => e.type === 'RunnerSlotReserved',
          );
          const ids = slotEvents.map((e) => (e.data as { runnerId: string }).runnerId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(state.alive).toBeLessThanOrEqual(Math.max(1, maxRunners));
          // Every runner told it holds a slot does, in the stream.
          for (const id of granted) expect(ids).toContain(id);
          // Replaying the stream one event at a time never passes the maximum either.
          let alive = 0;
          for (const event of eventStore.streams.get(stream) ?? []) {
            alive += event.type === 'RunnerSlotReserved' ? 1 : -1;
            expect(alive).toBeLessThanOrEqual(Math.max(1, maxRunners));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a release racing a reservation never loses either write', async () => {
    const eventStore = new SpecEventStore();
    eventStore.appendDirect(stream, reservedEvent('r-0'));
    const [reserved, released] = await Promise.all([
      handleCommand({ eventStore }, pool, stream, reserve('r-1', 5), metadata),
      handleCommand({ eventStore }, pool, stream, release('r-0'), metadata),
    ]);
    expect(reserved.outcome).toBe('accepted');
    expect(released.outcome).toBe('accepted');
    const { state } = await loadStream({ eventStore }, pool, stream);
    expect(Object.keys(state.slots)).toEqual(['r-1']);
  });
});
