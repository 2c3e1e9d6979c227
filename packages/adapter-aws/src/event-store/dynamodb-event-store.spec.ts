import {
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DependencyError,
  POOL_SNAPSHOT_EVERY,
  RunnerId,
  handleCommand,
  loadStream,
  poolDecider,
  poolStreamId,
  type PoolCommand,
  type PoolEvent,
  type StreamHead,
} from '@hangar/core';
import { MAX_EVENTS_PER_APPEND } from './append-transaction';
import { DynamoDbEventStore } from './dynamodb-event-store';
import { countReads } from './read-counter';
import { localEventStoreTable } from './test-table';

const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const events = (count: number) => Array.from({ length: count }, (_, n) => ({ type: 'Tested', data: { n } }));
const head: StreamHead = {
  streamType: 'job',
  open: true,
  group: null,
  lookupKey: 'job-key',
  alternateKey: null,
  view: { owner: 'acme', labels: ['linux'], queuedAt: '2026-01-01T00:00:00.000Z', note: undefined },
};

describe('DynamoDbEventStore on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof localEventStoreTable>>;
  let store: DynamoDbEventStore;
  const items = async (streamId: string) =>
    (
      await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: streamId } },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const itemAt = async (streamId: string, sk: string) =>
    (
      await table.client.send(
        new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: streamId }, sk: { S: sk } } }),
      )
    ).Item;

  beforeAll(async () => {
    table = await localEventStoreTable();
    store = new DynamoDbEventStore({ client: table.client, tableName: table.tableName });
  });
  afterAll(async () => table.drop());

  describe('the 100-item transaction limit', () => {
    it(`appends ${MAX_EVENTS_PER_APPEND} events (plus the head) in one atomic transaction`, async () => {
      await expect(store.append('limit-ok', 0, events(MAX_EVENTS_PER_APPEND), { metadata })).resolves.toEqual(
        {
          version: MAX_EVENTS_PER_APPEND,
        },
      );
    });

    it('refuses a larger append with a non-retryable DependencyError and writes nothing', async () => {
      const error = await store
        .append('limit-over', 0, events(MAX_EVENTS_PER_APPEND + 1), { metadata })
        .catch((e) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 'dynamodb', operation: 'append', retryable: false });
      expect(await items('limit-over')).toEqual([]);
    });

    it('writes 100 items over several streams in one transaction, and refuses 101 on any stream', async () => {
      const fits = [
        { streamId: 'multi-a', expectedVersion: 0, events: events(49), options: { metadata } },
        { streamId: 'multi-b', expectedVersion: 0, events: events(49), options: { metadata } },
      ];
      await expect(store.appendAll(fits)).resolves.toEqual([{ version: 49 }, { version: 49 }]);
      const over = [
        { streamId: 'multi-c', expectedVersion: 0, events: events(49), options: { metadata } },
        { streamId: 'multi-d', expectedVersion: 0, events: events(50), options: { metadata } },
      ];
      const error = await store.appendAll(over).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 'dynamodb', operation: 'append', retryable: false });
      expect([...(await items('multi-c')), ...(await items('multi-d'))]).toEqual([]);
    });
  });

  describe('item shapes', () => {
    it("stores the head's view as a map without undefined members, and its GSI keys while open", async () => {
      await store.append('shape-open', 0, events(1), { metadata, head });
      const item = await itemAt('shape-open', 'head');
      expect(item?.view).toEqual({
        M: {
          owner: { S: 'acme' },
          labels: { L: [{ S: 'linux' }] },
          queuedAt: { S: '2026-01-01T00:00:00.000Z' },
        },
      });
      expect(item).toMatchObject({
        gsi1pk: { S: 'open#job' },
        gsi1sk: { S: '*#shape-open' },
        gsi2pk: { S: 'lk#job#job-key' },
      });
      expect(item?.gsi3pk).toBeUndefined();
    });

    it('removes the open-index keys in the same write that closes the head', async () => {
      await store.append('shape-closed', 0, events(1), { metadata, head });
      await store.append('shape-closed', 1, events(1), { metadata, head: { ...head, open: false } });
      const item = await itemAt('shape-closed', 'head');
      expect(item?.gsi1pk).toBeUndefined();
      expect(item?.gsi1sk).toBeUndefined();
      expect(item?.gsi2pk).toEqual({ S: 'lk#job#job-key' });
    });

    it('rejects an event that is not JSON with a TypeError before writing anything', async () => {
      const bad = [
        { type: 'Tested', data: { n: 1 } },
        { type: 'Tested', data: { at: new Date(0) } },
      ];
      await expect(store.append('shape-bad', 0, bad, { metadata })).rejects.toThrow(TypeError);
      expect(await items('shape-bad')).toEqual([]);
    });
  });

  describe('expiry (TTL)', () => {
    const ttlOf = (item: Record<string, AttributeValue>) => item.ttl?.N;

    it('writes no ttl while a stream is live', async () => {
      await store.append('live', 0, events(2), { metadata, head });
      expect((await items('live')).map(ttlOf)).toEqual([undefined, undefined, undefined]);
    });

    it('stamps the epoch-second ttl on every item of a stream when it ends, earlier events and snapshot included', async () => {
      await store.append('ended', 0, events(3), { metadata, head });
      await store.saveSnapshot('ended', 3, { n: 3 });
      await store.append('ended', 3, events(1), {
        metadata,
        head: { ...head, open: false },
        expiresAt: '2026-02-01T00:00:00.500Z',
      });
      const stored = await items('ended');
      expect(stored.map((item) => item.sk?.S)).toEqual([
        'e#000000000001',
        'e#000000000002',
        'e#000000000003',
        'e#000000000004',
        'head',
        'snapshot',
      ]);
      const expected = String(Math.ceil(Date.parse('2026-02-01T00:00:00.500Z') / 1000));
      expect(stored.map(ttlOf)).toEqual(Array(6).fill(expected));
    });

    it('stamps the earlier events of a stream without snapshots in the terminal append itself: one call', async () => {
      await store.append('ended-inline', 0, events(5), { metadata, head });
      const calls: string[] = [];
      table.client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push(context.commandName ?? '');
          return next(args);
        },
        { step: 'initialize', name: 'countInlineExpiry' },
      );
      try {
        await store.append('ended-inline', 5, events(1), {
          metadata,
          head: { ...head, open: false },
          expiresAt: '2026-02-01T00:00:00.500Z',
          noSnapshot: true,
        });
      } finally {
        table.client.middlewareStack.remove('countInlineExpiry');
      }
      expect(calls).toEqual(['TransactWriteItemsCommand']);
      const expected = String(Math.ceil(Date.parse('2026-02-01T00:00:00.500Z') / 1000));
      expect((await items('ended-inline')).map(ttlOf)).toEqual(Array(7).fill(expected));
    });

    it('never recreates an earlier event already deleted when the stream ends inline, and still appends', async () => {
      await store.append('ended-gap', 0, events(3), { metadata, head });
      await table.client.send(
        new DeleteItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: 'ended-gap' }, sk: { S: 'e#000000000002' } },
        }),
      );
      await expect(
        store.append('ended-gap', 3, events(1), {
          metadata,
          head: { ...head, open: false },
          expiresAt: '2026-02-01T00:00:00.500Z',
          noSnapshot: true,
        }),
      ).resolves.toEqual({ version: 4 });
      const stored = await items('ended-gap');
      expect(stored.map((item) => item.sk?.S)).toEqual([
        'e#000000000001',
        'e#000000000003',
        'e#000000000004',
        'head',
      ]);
      expect(stored.every((item) => item.type !== undefined || item.sk?.S === 'head')).toBe(true);
    });
  });

  describe('read cost of a long-lived pool stream', () => {
    const definition = { decider: poolDecider, snapshotEvery: POOL_SNAPSHOT_EVERY };
    const at = (i: number) => new Date(Date.parse(metadata.recordedAt) + i * 1000).toISOString();
    const reserve = (i: number): PoolCommand => ({
      type: 'ReserveRunnerSlot',
      data: { runnerId: RunnerId(`r-${i}`), jobId: null, maxRunners: 10, at: at(i) },
    });
    const release = (i: number): PoolCommand => ({
      type: 'ReleaseRunnerSlot',
      data: { runnerId: RunnerId(`r-${i}`), at: at(i) },
    });
    const pairEvents = (i: number): PoolEvent[] => [
      { type: 'RunnerSlotReserved', data: { runnerId: RunnerId(`r-${i}`), jobId: null, at: at(i) } },
      { type: 'RunnerSlotReleased', data: { runnerId: RunnerId(`r-${i}`), at: at(i) } },
    ];

    it(`loads a 1,000-event pool stream in one Query of at most ${POOL_SNAPSHOT_EVERY + 1} items once snapshots exist`, async () => {
      const counter = countReads(table.client);
      const streamId = poolStreamId('long-lived');
      const deps = { eventStore: store, snapshots: store };
      // 949 events seeded in 98-event appends, then 51 through handleCommand, which snapshots
      // every 50 events. Twenty snapshot periods show the bound as well as a hundred: the
      // 5,000-event stream (49 seeding transactions of 98 items, 45 s of the suite on DynamoDB
      // Local) is bench/event-store/read-cost.ts's.
      const seeded = Array.from({ length: 475 }, (_, i) => pairEvents(i))
        .flat()
        .slice(0, 949);
      for (let version = 0; version < seeded.length; version += 98)
        await store.append(streamId, version, seeded.slice(version, version + 98), { metadata });
      const commands = [
        release(474),
        ...Array.from({ length: 25 }, (_, k) => [reserve(475 + k), release(475 + k)]).flat(),
      ];
      const perLoad: number[] = [];
      for (const command of commands) {
        counter.reset();
        const result = await handleCommand(deps, definition, streamId, command, metadata);
        expect(result.outcome).toBe('accepted');
        perLoad.push(counter.itemsQueried);
        if (perLoad.length > 1) expect([counter.queryPages, counter.itemsGot]).toEqual([1, 0]);
      }
      counter.reset();
      const loaded = await loadStream(deps, definition, streamId);
      expect(loaded.version).toBe(1000);
      expect(loaded.state).toEqual({ slots: {}, alive: 0, reservedTotal: 500, releasedTotal: 500 });
      // The snapshot at 1,000 leaves nothing to fold: one page (snapshot, head and the newest
      // events the page had room for), no GetItem.
      expect([counter.queryPages, counter.itemsGot]).toEqual([1, 0]);
      // The first command found no snapshot and read the whole stream (plus the head); it
      // crossed 950 and saved one, and from then on every load was one page: the snapshot,
      // the head and at most 49 events.
      expect(perLoad[0]).toBe(949 + 1);
      expect(Math.max(...perLoad.slice(1))).toBe(POOL_SNAPSHOT_EVERY + 1);
      expect(await store.loadSnapshot(streamId)).toMatchObject({ version: 1000 });
      counter.reset();
      const withoutSnapshots = await loadStream({ eventStore: store }, definition, streamId);
      expect(withoutSnapshots.state).toEqual(loaded.state);
      expect(counter.itemsQueried).toBe(1000 + 1);
    });
  });
});
