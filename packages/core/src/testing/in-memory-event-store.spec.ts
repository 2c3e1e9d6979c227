import { describe, expect, it } from '@jest/globals';
import { DependencyError, VersionConflictError } from '../shared/errors';
import { eventStoreContract } from './event-store-contract';
import { indexLagContract } from './index-lag-contract';
import { InMemoryEventStore } from './in-memory-event-store';
import { streamHistoryContract } from './stream-history-contract';

eventStoreContract('InMemoryEventStore', async () => ({
  store: new InMemoryEventStore(),
  close: async () => undefined,
}));
streamHistoryContract('InMemoryEventStore', async () => ({
  store: new InMemoryEventStore(),
  close: async () => undefined,
}));

indexLagContract('InMemoryEventStore', async () => ({
  store: new InMemoryEventStore(),
  close: async () => undefined,
}));

const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const one = [{ type: 'Tested', data: { n: 1 } }];

describe('InMemoryEventStore test controls', () => {
  it('counts appends that wrote events and reads with the events they returned', async () => {
    const store = new InMemoryEventStore();
    await store.append('s', 0, one, { metadata });
    await store.append('s', 1, [], { metadata });
    await store.readStream('s');
    await store.readStream('s', { afterVersion: 1 });
    expect([store.appendCount, store.readCount, store.eventsRead]).toEqual([1, 2, 1]);
  });

  it('throws an injected conflict once, writing nothing, then appends normally', async () => {
    const store = new InMemoryEventStore();
    store.conflictNextAppend();
    await expect(store.append('s', 0, one, { metadata })).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.readStream('s')).version).toBe(0);
    await expect(store.append('s', 0, one, { metadata })).resolves.toEqual({ version: 1 });
  });

  it('throws an injected failure on the chosen operation once', async () => {
    const store = new InMemoryEventStore();
    const failure = new DependencyError('memory', 'readStream', 'injected', true);
    store.failNext('readStream', failure);
    await expect(store.readStream('s')).rejects.toBe(failure);
    await expect(store.readStream('s')).resolves.toEqual({ version: 0, events: [] });
  });

  it('remembers the expiry of a stream that ended', async () => {
    const store = new InMemoryEventStore();
    await store.append('s', 0, one, { metadata, expiresAt: '2026-02-01T00:00:00.000Z' });
    expect(store.expiresAt('s')).toBe('2026-02-01T00:00:00.000Z');
    expect(store.expiresAt('other')).toBeNull();
  });

  it('keeps stored events apart from the objects the caller appended', async () => {
    const store = new InMemoryEventStore();
    const data = { n: 1 };
    await store.append('s', 0, [{ type: 'Tested', data }], { metadata });
    data.n = 2;
    expect((await store.readStream('s')).events[0]?.data).toEqual({ n: 1 });
  });
});
