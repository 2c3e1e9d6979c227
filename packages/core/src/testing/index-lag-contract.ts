import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventMetadata, StreamHead } from '../ports/event-store';
import { IndexLag, type LaggableStore } from './index-lag';

const metadata: EventMetadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const one = [{ type: 'Tested', data: {} }];
const LAG_MS = 1_000;

/**
 * The index-lag fault over a real store: what the GSIs of DynamoDB may show, and what they may
 * not hide. `setup` returns a fresh store; the suite wraps it with an `IndexLag` on its own clock.
 */
export function indexLagContract(
  name: string,
  setup: () => Promise<{ store: LaggableStore; close(): Promise<void> }>,
): void {
  describe(`${name} behind an index-lag fault`, () => {
    let raw: LaggableStore;
    let store: LaggableStore;
    let lag: IndexLag;
    let close: () => Promise<void> = async () => undefined;
    let nowMs = 0;
    let streams = 0;
    // Each test works in its own group and keys, so earlier tests' heads do not interfere.
    const fresh = () => {
      streams += 1;
      return { id: `runner-lag-${streams}`, group: `pool-${streams}`, key: `i-${streams}` };
    };
    const head = (group: string, overrides: Partial<StreamHead> = {}): StreamHead => ({
      streamType: 'runner',
      open: true,
      group,
      lookupKey: null,
      alternateKey: null,
      view: { status: 'requested' },
      ...overrides,
    });

    beforeAll(async () => {
      ({ store: raw, close } = await setup());
      lag = new IndexLag({ lagMs: LAG_MS, now: () => nowMs });
      store = lag.wrap(raw);
    });
    afterAll(async () => close());

    it('hides a new head from listOpen and findByLookupKey until the lag has passed', async () => {
      const { id, group, key } = fresh();
      await store.append(id, 0, one, { metadata, head: head(group, { lookupKey: key }) });
      expect(lag.lagging()).toContain(id);
      const before = lag.reads.lagged;
      expect(await store.listOpen('runner', group)).toEqual([]);
      expect(await store.findByLookupKey('runner', key)).toBeNull();
      expect(lag.reads.lagged - before).toBe(2);
      nowMs += LAG_MS;
      expect(lag.lagging()).not.toContain(id);
      expect((await store.listOpen('runner', group)).map((record) => record.streamId)).toEqual([id]);
      expect(await store.findByLookupKey('runner', key)).toMatchObject({ streamId: id, version: 1 });
    });

    it('keeps listing a head that closed, with its previous view, until the lag has passed', async () => {
      const { id, group } = fresh();
      await store.append(id, 0, one, { metadata, head: head(group, { view: { status: 'idle' } }) });
      nowMs += LAG_MS;
      await store.append(id, 1, one, {
        metadata,
        head: head(group, { open: false, view: { status: 'terminated' } }),
      });
      expect(await store.listOpen('runner', group)).toEqual([
        expect.objectContaining({ streamId: id, version: 1, view: { status: 'idle' } }),
      ]);
      nowMs += LAG_MS;
      expect(await store.listOpen('runner', group)).toEqual([]);
    });

    it('does not find a head by a key it gained within the lag, though it lists the head', async () => {
      const { id, group, key } = fresh();
      await store.append(id, 0, one, { metadata, head: head(group) });
      nowMs += LAG_MS;
      await store.append(id, 1, one, { metadata, head: head(group, { alternateKey: key }) });
      expect(await store.findByLookupKey('runner', key)).toBeNull();
      expect(await store.listOpen('runner', group)).toEqual([
        expect.objectContaining({ streamId: id, version: 1, alternateKey: null }),
      ]);
    });

    it('never lags stream reads or heads read by key', async () => {
      const { id, group } = fresh();
      await store.append(id, 0, one, { metadata, head: head(group) });
      expect((await store.readStream(id)).version).toBe(1);
      expect(await store.readHeads([id])).toEqual([expect.objectContaining({ streamId: id, version: 1 })]);
    });

    it('shows at once what was indexed before the fault began', async () => {
      const { id, group, key } = fresh();
      await raw.append(id, 0, one, { metadata, head: head(group, { lookupKey: key }) });
      expect((await store.listOpen('runner', group)).map((record) => record.streamId)).toEqual([id]);
      expect(await store.findByLookupKey('runner', key)).toMatchObject({ streamId: id });
    });
  });
}
