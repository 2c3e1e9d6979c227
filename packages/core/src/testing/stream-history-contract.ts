import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '../ports/event-store';
import type { StreamHistory } from '../ports/stream-history';

const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const events = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ type: 'Tested', data: { n: i + 1 } }));

/**
 * The behaviour every StreamHistory must have (ports/stream-history.ts). `setup` returns a
 * fresh store that is also an EventStore (to write the streams read back).
 */
export function streamHistoryContract(
  name: string,
  setup: () => Promise<{ readonly store: EventStore & StreamHistory; close(): Promise<void> }>,
): void {
  describe(`${name} (StreamHistory contract)`, () => {
    let store: EventStore & StreamHistory;
    let close: () => Promise<void>;
    let n = 0;
    const fresh = () => `history-${(n += 1)}`;
    beforeAll(async () => {
      ({ store, close } = await setup());
    });
    afterAll(async () => close());

    it('reads the newest events first, at most limit of them', async () => {
      const id = fresh();
      await store.append(id, 0, events(7), { metadata });
      const page = await store.readBackward(id, { limit: 3 });
      expect(page.map((event) => event.version)).toEqual([7, 6, 5]);
      expect(page[0]).toMatchObject({ streamId: id, type: 'Tested', data: { n: 7 }, metadata });
    });

    it('pages back from a version, down to the first event', async () => {
      const id = fresh();
      await store.append(id, 0, events(7), { metadata });
      expect((await store.readBackward(id, { limit: 3, toVersion: 4 })).map((e) => e.version)).toEqual([
        4, 3, 2,
      ]);
      expect((await store.readBackward(id, { limit: 3, toVersion: 1 })).map((e) => e.version)).toEqual([1]);
    });

    it('reads nothing of an unknown stream', async () => {
      expect(await store.readBackward(fresh(), { limit: 10 })).toEqual([]);
    });

    it('reads many streams up to a given version each, in version order, by key', async () => {
      const [a, b, c] = [fresh(), fresh(), fresh()];
      // Over 100 keys: more than one batch of key lookups.
      await store.append(a, 0, events(90), { metadata });
      await store.append(a, 90, events(30), { metadata });
      await store.append(b, 0, events(3), { metadata });
      const read = await store.readEventsUpTo([
        { streamId: a, version: 110 },
        { streamId: b, version: 3 },
        { streamId: c, version: 0 },
      ]);
      expect(read.get(a)?.map((event) => event.version)).toEqual(
        Array.from({ length: 110 }, (_, i) => i + 1),
      );
      expect(read.get(b)?.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(read.get(c)).toEqual([]);
    });
  });
}
