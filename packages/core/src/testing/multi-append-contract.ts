import { describe, expect, it } from '@jest/globals';
import type { EventMetadata, EventStore, StreamHead, StreamIndex } from '../ports/event-store';
import { VersionConflictError } from '../shared/errors';

const metadata: EventMetadata = { recordedAt: '2026-01-01T00:00:00.000Z', correlationId: 'delivery-2' };
const event = (n: number) => ({ type: 'Tested', data: { n } });
const head = (group: string): StreamHead => ({
  streamType: 'runner',
  open: true,
  group,
  lookupKey: null,
  alternateKey: null,
  view: { status: 'requested' },
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  );
}

/**
 * `appendAll`, the atomic append across streams (ports/event-store.ts), as part of the
 * event-store contract: run by `eventStoreContract` against every backend that has it.
 */
export function multiAppendCases(
  store: () => EventStore & StreamIndex,
  fresh: (prefix?: string) => string,
): void {
  const appendAll = (...args: Parameters<NonNullable<EventStore['appendAll']>>) => {
    const method = store().appendAll;
    if (!method) throw new Error('this store has no appendAll');
    return method.apply(store(), args);
  };

  describe('appending to several streams at once (appendAll)', () => {
    it('writes every stream in one atomic write, with its head, and returns the versions in order', async () => {
      const [a, b] = [fresh('multi'), fresh('multi')];
      await store().append(b, 0, [event(1)], { metadata });
      const versions = await appendAll([
        {
          streamId: a,
          expectedVersion: 0,
          events: [event(10), event(11)],
          options: { metadata, head: head('ga') },
        },
        { streamId: b, expectedVersion: 1, events: [event(2)], options: { metadata, head: head('gb') } },
      ]);
      expect(versions).toEqual([{ version: 2 }, { version: 2 }]);
      expect((await store().readStream(a)).events.map((e) => [e.version, e.data])).toEqual([
        [1, { n: 10 }],
        [2, { n: 11 }],
      ]);
      expect((await store().readStream(b)).events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      const heads = await store().readHeads([a, b]);
      expect(heads.map((h) => [h.streamId, h.group, h.version]).sort()).toEqual([
        [a, 'ga', 2],
        [b, 'gb', 2],
      ]);
    });

    it('a conflict on any stream writes nothing on any, and the VersionConflictError names that stream', async () => {
      const [a, b] = [fresh('multi'), fresh('multi')];
      await store().append(b, 0, [event(1), event(2)], { metadata });
      const error = await rejection(
        appendAll([
          { streamId: a, expectedVersion: 0, events: [event(10)], options: { metadata, head: head('ga') } },
          { streamId: b, expectedVersion: 1, events: [event(3)], options: { metadata } },
        ]),
      );
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ streamId: b, expectedVersion: 1, retryable: true });
      expect(await store().readStream(a)).toEqual({ version: 0, events: [] });
      expect(await store().readHeads([a])).toEqual([]);
      expect((await store().readStream(b)).version).toBe(2);
    });

    it('of concurrent multi-appends sharing a stream at one version exactly one wins; the losers write nothing', async () => {
      const shared = fresh('multi');
      await store().append(shared, 0, [event(1)], { metadata });
      const own = Array.from({ length: 10 }, () => fresh('multi'));
      const results = await Promise.allSettled(
        own.map((id, writer) =>
          appendAll([
            { streamId: id, expectedVersion: 0, events: [event(writer)], options: { metadata } },
            { streamId: shared, expectedVersion: 1, events: [event(100 + writer)], options: { metadata } },
          ]),
        ),
      );
      const won = results.flatMap((result, i) => (result.status === 'fulfilled' ? [own[i]] : []));
      expect(won).toHaveLength(1);
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(VersionConflictError);
      const written = await Promise.all(own.map(async (id) => (await store().readStream(id)).version));
      expect(written.filter((version) => version > 0)).toEqual([1]);
      expect((await store().readStream(shared)).version).toBe(2);
    });

    it('neither writes nor checks an entry with no events, and refuses a stream named twice', async () => {
      const [a, b] = [fresh('multi'), fresh('multi')];
      const versions = await appendAll([
        { streamId: a, expectedVersion: 0, events: [event(1)], options: { metadata } },
        { streamId: b, expectedVersion: 9, events: [], options: { metadata } },
      ]);
      expect(versions).toEqual([{ version: 1 }, { version: 9 }]);
      expect(await store().readStream(b)).toEqual({ version: 0, events: [] });
      const twice = await rejection(
        appendAll([
          { streamId: a, expectedVersion: 1, events: [event(2)], options: { metadata } },
          { streamId: a, expectedVersion: 2, events: [event(3)], options: { metadata } },
        ]),
      );
      expect(twice).toBeInstanceOf(RangeError);
      expect((await store().readStream(a)).version).toBe(1);
    });
  });
}
