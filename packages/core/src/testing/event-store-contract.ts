import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  EventMetadata,
  EventStore,
  SnapshotReadOptions,
  SnapshotStore,
  StreamHead,
  StreamIndex,
} from '../ports/event-store';
import { VersionConflictError } from '../shared/errors';
import { multiAppendCases } from './multi-append-contract';

export type ContractStore = EventStore & SnapshotStore & StreamIndex;

const metadata: EventMetadata = { recordedAt: '2026-01-01T00:00:00.000Z', correlationId: 'delivery-1' };
const event = (n: number, extra: Record<string, unknown> = {}) => ({ type: 'Tested', data: { n, ...extra } });
const events = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));

function runnerHead(overrides: Partial<StreamHead> = {}): StreamHead {
  return {
    streamType: 'runner',
    open: true,
    group: 'pool-a',
    lookupKey: null,
    alternateKey: null,
    view: { status: 'idle', labels: ['linux', 'x64'], launch: { attempts: 1, at: null } },
    ...overrides,
  };
}

// Core compiles without Node's types; the timer is there in every runtime the suite runs in.
const { setTimeout: timer } = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
};
const sleep = (ms: number) => new Promise<void>((resolve) => timer(resolve, ms));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  );
}

/** Cases a backend cannot run (in bounded time or at all), named for `notModelled`. */
export type EventStoreContractCase = 'large-stream' | 'writers-gap-free' | 'batch-heads';

/**
 * The behaviour every EventStore + SnapshotStore + StreamIndex must have (ports/event-store.ts).
 * `setup` returns a fresh, empty store; it runs once per suite, so tests use distinct streams.
 * A case named in `notModelled` does not run against that backend (the calling spec names it
 * with its reason); DynamoDB Local and the in-memory twin run every case. A case named in
 * `runElsewhere` does not run in this configuration because another run of the contract on
 * the same backend proves it and this configuration cannot change its outcome (the spec says
 * which run and why).
 */
export function eventStoreContract(
  name: string,
  setup: () => Promise<{ store: ContractStore; close(): Promise<void> }>,
  options: {
    readonly notModelled?: Partial<Record<EventStoreContractCase, string>>;
    readonly runElsewhere?: Partial<Record<EventStoreContractCase, string>>;
  } = {},
): void {
  const contractCase = (id: EventStoreContractCase, title: string, body: () => Promise<void>) => {
    if (options.notModelled?.[id] === undefined && options.runElsewhere?.[id] === undefined) it(title, body);
  };
  describe(`${name} (event-store contract)`, () => {
    let store: ContractStore;
    let close: () => Promise<void> = async () => undefined;
    let streams = 0;
    const fresh = (prefix = 'stream') => `${prefix}-${(streams += 1)}`;

    beforeAll(async () => {
      ({ store, close } = await setup());
    });
    afterAll(async () => close());

    describe('reading', () => {
      it('reads an unknown stream as version 0 with no events', async () => {
        expect(await store.readStream(fresh())).toEqual({ version: 0, events: [] });
      });

      it('returns appended events in order with their versions, types, data and metadata', async () => {
        const id = fresh();
        const first = await store.append(id, 0, [event(1, { nested: { list: [1, 'a', null, true] } })], {
          metadata,
        });
        const second = await store.append(id, 1, [{ type: 'Other', data: { n: 2 } }], {
          metadata: { recordedAt: '2026-01-01T00:01:00.000Z', causationId: 'cause-9' },
        });
        expect([first.version, second.version]).toEqual([1, 2]);
        expect(await store.readStream(id)).toEqual({
          version: 2,
          events: [
            {
              streamId: id,
              version: 1,
              type: 'Tested',
              data: { n: 1, nested: { list: [1, 'a', null, true] } },
              metadata,
            },
            {
              streamId: id,
              version: 2,
              type: 'Other',
              data: { n: 2 },
              metadata: { recordedAt: '2026-01-01T00:01:00.000Z', causationId: 'cause-9' },
            },
          ],
        });
      });

      it('reads only the events after afterVersion, and the current version', async () => {
        const id = fresh();
        await store.append(id, 0, events(1, 5), { metadata });
        const tail = await store.readStream(id, { afterVersion: 3 });
        expect(tail.version).toBe(5);
        expect(tail.events.map((e) => e.version)).toEqual([4, 5]);
        expect(await store.readStream(id, { afterVersion: 5 })).toEqual({ version: 5, events: [] });
      });

      contractCase(
        'large-stream',
        'reads every event of a stream larger than one page (over 1 MB)',
        async () => {
          const id = fresh();
          const padding = 'x'.repeat(1000);
          for (let version = 0; version < 1100; version += 55) {
            const batch = Array.from({ length: 55 }, (_, i) => event(version + i + 1, { padding }));
            await store.append(id, version, batch, { metadata });
          }
          const slice = await store.readStream(id);
          expect(slice.version).toBe(1100);
          expect(slice.events.map((e) => e.version)).toEqual(Array.from({ length: 1100 }, (_, i) => i + 1));
          expect(slice.events[1099]?.data).toEqual({ n: 1100, padding });
        },
      );
    });

    describe('appending', () => {
      it('appends several events atomically with consecutive versions', async () => {
        const id = fresh();
        expect(await store.append(id, 0, events(1, 3), { metadata })).toEqual({ version: 3 });
        expect((await store.readStream(id)).events.map((e) => [e.version, e.data])).toEqual([
          [1, { n: 1 }],
          [2, { n: 2 }],
          [3, { n: 3 }],
        ]);
      });

      it('rejects a stale expected version with a retryable VersionConflictError and writes nothing', async () => {
        const id = fresh();
        await store.append(id, 0, events(1, 2), { metadata });
        for (const stale of [0, 1]) {
          const error = await rejection(store.append(id, stale, events(10, 3), { metadata }));
          expect(error).toBeInstanceOf(VersionConflictError);
          expect(error).toMatchObject({
            streamId: id,
            expectedVersion: stale,
            actualVersion: 2,
            retryable: true,
          });
        }
        expect((await store.readStream(id)).version).toBe(2);
      });

      it('rejects an expected version ahead of the stream and writes nothing', async () => {
        const known = fresh();
        await store.append(known, 0, events(1, 2), { metadata });
        const ahead = await rejection(store.append(known, 5, events(3, 1), { metadata }));
        expect(ahead).toMatchObject({ name: 'VersionConflictError', expectedVersion: 5, actualVersion: 2 });
        const unknown = fresh();
        const onEmpty = await rejection(store.append(unknown, 1, events(1, 1), { metadata }));
        expect(onEmpty).toMatchObject({ name: 'VersionConflictError', expectedVersion: 1, actualVersion: 0 });
        expect((await store.readStream(known)).version).toBe(2);
        expect(await store.readStream(unknown)).toEqual({ version: 0, events: [] });
      });

      it('treats an empty append as a no-op that returns the expected version unchecked', async () => {
        const id = fresh();
        expect(await store.append(id, 7, [], { metadata })).toEqual({ version: 7 });
        expect(await store.readStream(id)).toEqual({ version: 0, events: [] });
      });

      it('lets exactly one of 25 concurrent appends at the same version win', async () => {
        const id = fresh();
        await store.append(id, 0, events(1, 1), { metadata });
        const results = await Promise.allSettled(
          Array.from({ length: 25 }, (_, writer) => store.append(id, 1, [event(100 + writer)], { metadata })),
        );
        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(24);
        for (const loser of losers) expect(loser).toBeInstanceOf(VersionConflictError);
        const slice = await store.readStream(id);
        expect(slice.version).toBe(2);
        expect(slice.events).toHaveLength(2);
      });

      contractCase(
        'writers-gap-free',
        'keeps 25 writers retrying on conflict gap-free: 250 events, versions 1..250, each once',
        async () => {
          const id = fresh();
          const writer = async (w: number) => {
            let version = 0;
            for (let i = 0, conflicts = 0; i < 10;) {
              try {
                version = (await store.append(id, version, [event(w * 100 + i)], { metadata })).version;
                i += 1;
                conflicts = 0;
              } catch (error) {
                if (!(error instanceof VersionConflictError)) throw error;
                // Exponential backoff with full jitter (what callers do; it keeps 25 writers from
                // colliding every round), then retry at the version the conflict reported.
                conflicts += 1;
                const delay = Math.random() * Math.min(200, 2 ** conflicts * 5);
                await sleep(delay);
                version = error.actualVersion ?? (await store.readStream(id)).version;
              }
            }
          };
          await Promise.all(Array.from({ length: 25 }, (_, w) => writer(w)));
          const slice = await store.readStream(id);
          expect(slice.events.map((e) => e.version)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
          const written = slice.events.map((e) => (e.data as { n: number }).n).sort((a, b) => a - b);
          const expected = Array.from({ length: 25 }, (_, w) =>
            Array.from({ length: 10 }, (_, i) => w * 100 + i),
          );
          expect(written).toEqual(expected.flat().sort((a, b) => a - b));
        },
      );
    });

    multiAppendCases(() => store, fresh);

    describe('stream heads', () => {
      it('lists open heads by type and by exact group, with the stream version and view', async () => {
        const id = fresh('runner');
        const other = fresh('runner');
        await store.append(id, 0, events(1, 2), { metadata, head: runnerHead() });
        await store.append(other, 0, events(1, 1), { metadata, head: runnerHead({ group: 'pool-a#2' }) });
        const all = await store.listOpen('runner');
        expect(all.find((head) => head.streamId === id)).toEqual({
          ...runnerHead(),
          streamId: id,
          version: 2,
        });
        const inGroup = await store.listOpen('runner', 'pool-a');
        expect(inGroup.map((head) => head.streamId)).toContain(id);
        expect(inGroup.map((head) => head.streamId)).not.toContain(other);
        expect((await store.listOpen('runner', 'pool-b')).map((head) => head.streamId)).not.toContain(id);
        expect((await store.listOpen('job')).map((head) => head.streamId)).not.toContain(id);
      });

      it('lists every open head of a group across pages', async () => {
        const ids = Array.from({ length: 30 }, () => fresh('paged'));
        for (const id of ids)
          await store.append(id, 0, events(1, 1), { metadata, head: runnerHead({ group: 'paged' }) });
        const listed = await store.listOpen('runner', 'paged');
        expect(listed.map((head) => head.streamId).sort()).toEqual([...ids].sort());
      });

      it('finds a head by lookup key or alternate key, scoped to its stream type', async () => {
        const id = fresh('runner');
        const head = runnerHead({ lookupKey: `i-${id}`, alternateKey: `name-${id}` });
        await store.append(id, 0, events(1, 1), { metadata, head });
        expect(await store.findByLookupKey('runner', `i-${id}`)).toEqual({
          ...head,
          streamId: id,
          version: 1,
        });
        expect(await store.findByLookupKey('runner', `name-${id}`)).toMatchObject({ streamId: id });
        expect(await store.findByLookupKey('job', `i-${id}`)).toBeNull();
        expect(await store.findByLookupKey('runner', `i-missing-${id}`)).toBeNull();
      });

      it('drops a closed head from listOpen but still finds it by lookup key', async () => {
        const id = fresh('runner');
        const head = runnerHead({ group: 'closing', lookupKey: `i-${id}` });
        await store.append(id, 0, events(1, 1), { metadata, head });
        await store.append(id, 1, events(2, 1), {
          metadata,
          head: { ...head, open: false, view: { status: 'gone' } },
        });
        expect((await store.listOpen('runner', 'closing')).map((h) => h.streamId)).not.toContain(id);
        expect(await store.findByLookupKey('runner', `i-${id}`)).toMatchObject({
          streamId: id,
          version: 2,
          open: false,
          view: { status: 'gone' },
        });
      });

      it('keeps the last head when an append carries none, at the new version', async () => {
        const id = fresh('runner');
        await store.append(id, 0, events(1, 1), { metadata, head: runnerHead({ group: 'kept' }) });
        await store.append(id, 1, events(2, 2), { metadata });
        expect(await store.listOpen('runner', 'kept')).toEqual([
          { ...runnerHead({ group: 'kept' }), streamId: id, version: 3 },
        ]);
      });

      it('reads heads by stream id: the current version, closed ones too, unknown ids left out, repeats once', async () => {
        const open = fresh('runner');
        const closed = fresh('runner');
        await store.append(open, 0, events(1, 1), { metadata, head: runnerHead() });
        await store.append(open, 1, events(2, 1), { metadata });
        await store.append(closed, 0, events(1, 1), { metadata, head: { ...runnerHead(), open: false } });
        const heads = await store.readHeads([open, closed, fresh('unknown'), open]);
        expect([...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : 1))).toEqual(
          [
            { ...runnerHead(), streamId: open, version: 2 },
            { ...runnerHead(), open: false, streamId: closed, version: 1 },
          ].sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
        );
        expect(await store.readHeads([])).toEqual([]);
      });

      contractCase('batch-heads', 'reads more heads than one batch request holds', async () => {
        const ids = Array.from({ length: 101 }, () => fresh('batch')); // one over BatchGetItem's 100 keys
        for (const id of ids) await store.append(id, 0, events(1, 1), { metadata, head: runnerHead() });
        const heads = await store.readHeads(ids);
        expect(heads.map((head) => head.streamId).sort()).toEqual([...ids].sort());
      });

      it('does not write the head of an append that conflicts', async () => {
        const id = fresh('runner');
        await store.append(id, 0, events(1, 1), { metadata, head: runnerHead({ group: 'conflicted' }) });
        const closing = { ...runnerHead({ group: 'conflicted' }), open: false };
        await rejection(store.append(id, 0, events(2, 1), { metadata, head: closing }));
        expect((await store.listOpen('runner', 'conflicted')).map((h) => h.streamId)).toEqual([id]);
      });
    });

    describe('snapshots', () => {
      const fromSnapshot = (id: string, options?: SnapshotReadOptions) => {
        if (!store.readFromSnapshot) throw new Error('the store has no readFromSnapshot');
        return store.readFromSnapshot(id, options);
      };

      it('loads nothing for a stream without a snapshot', async () => {
        expect(await store.loadSnapshot(fresh())).toBeNull();
      });

      it('keeps the highest version: an older snapshot never replaces a newer one', async () => {
        const id = fresh();
        await store.saveSnapshot(id, 50, { alive: 2, slots: { a: { at: 'x' } } });
        await store.saveSnapshot(id, 10, { alive: 9, slots: {} });
        await store.saveSnapshot(id, 50, { alive: 7, slots: {} });
        expect(await store.loadSnapshot(id)).toEqual({
          version: 50,
          state: { alive: 2, slots: { a: { at: 'x' } } },
        });
        await store.saveSnapshot(id, 100, { alive: 0, slots: {} });
        expect(await store.loadSnapshot(id)).toEqual({ version: 100, state: { alive: 0, slots: {} } });
      });

      it('reads the snapshot and only the events after it, at the stream version, in one call', async () => {
        const id = fresh();
        expect(await fromSnapshot(id)).toEqual({ snapshot: null, slice: { version: 0, events: [] } });
        await store.append(id, 0, events(1, 5), { metadata });
        const whole = await fromSnapshot(id, { snapshotEvery: 2 });
        expect(whole.snapshot).toBeNull();
        expect(whole.slice.events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
        await store.saveSnapshot(id, 3, { n: 3 });
        const tail = await fromSnapshot(id, { snapshotEvery: 2 });
        expect(tail.snapshot).toEqual({ version: 3, state: { n: 3 } });
        expect(tail.slice).toEqual(await store.readStream(id, { afterVersion: 3 }));
        expect(tail.slice.version).toBe(5);
        await store.saveSnapshot(id, 5, { n: 5 });
        expect(await fromSnapshot(id)).toEqual({
          snapshot: { version: 5, state: { n: 5 } },
          slice: { version: 5, events: [] },
        });
      });

      it('reads a tail longer than the snapshot cadence whole (a snapshot was lost)', async () => {
        const id = fresh();
        await store.append(id, 0, events(1, 10), { metadata });
        await store.saveSnapshot(id, 2, { n: 2 });
        await store.append(id, 10, events(11, 90), { metadata });
        const read = await fromSnapshot(id, { snapshotEvery: 5 });
        expect(read.snapshot?.version).toBe(2);
        expect(read.slice.version).toBe(100);
        expect(read.slice.events.map((e) => e.version)).toEqual(Array.from({ length: 98 }, (_, i) => i + 3));
        expect(read.slice.events[0]).toMatchObject({ type: 'Tested', data: { n: 3 }, metadata });
      });

      it('does not change what readStream returns', async () => {
        const id = fresh();
        await store.append(id, 0, events(1, 3), { metadata });
        await store.saveSnapshot(id, 3, { n: 3 });
        const slice = await store.readStream(id);
        expect(slice.version).toBe(3);
        expect(slice.events).toHaveLength(3);
      });
    });
  });
}
