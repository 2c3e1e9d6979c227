import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type {
  AppendOptions,
  EventStore,
  HangarError,
  ReadOptions,
  SnapshotRead,
  SnapshotReadOptions,
  SnapshotStore,
  StreamHead,
  StreamHeadRecord,
  StreamHistory,
  StreamIndex,
  StreamAppend,
  StreamSlice,
  RecordedEvent,
} from '@hangar/core';
import { appendFailure, appendTransaction, expiryStampFailed, inlineExpiry } from './append-transaction';
import { translateDynamoDbError } from './dynamodb-errors';
import { assertContiguous, recordedEventOf } from './event-item';
import { headRecordOf, versionOf } from './head-item';
import { fromAttribute, toAttribute } from './json-attribute';
import { queryAll } from './query-pages';
import { readEventsUpTo, readHeadItems } from './batch-reads';
import { readBackward } from './read-backward';
import { readFromSnapshot } from './read-from-snapshot';
import { expiryKeysQuery, stampExpiry } from './stream-expiry';
import { multiAppendFailure, multiAppendTransaction } from './multi-append';
import {
  HEAD_SK,
  INDEX,
  SNAPSHOT_SK,
  alternatePartition,
  eventSortKey,
  lookupPartition,
  openPartition,
  openSortPrefix,
  ttlSeconds,
} from './table';

type Item = Record<string, AttributeValue>;

export interface DynamoDbEventStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Items per Query page (DynamoDB also stops a page at 1 MB); absent = DynamoDB's own limit. */
  readonly pageSize?: number;
  /**
   * Called when stamping the expiry on a terminal stream's earlier items failed after its
   * append committed. The append still succeeded; `expireStream` can be re-run for the stream
   * (docs/table-design.md, "TTL"). Wire it to a log line and a metric.
   */
  readonly onExpiryFailure?: (streamId: string, error: HangarError) => void;
}

/**
 * Event store, snapshot store and stream index on one DynamoDB table (docs/table-design.md).
 * Appends are single TransactWriteItems calls; reads are consistent, paginated Queries over
 * one partition; the index answers from sparse GSIs over the head items (eventually
 * consistent), never a Scan; `readHeads` reads head items by key, consistently.
 */
export class DynamoDbEventStore implements EventStore, SnapshotStore, StreamIndex, StreamHistory {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(private readonly options: DynamoDbEventStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async readStream(streamId: string, options?: ReadOptions): Promise<StreamSlice> {
    const after = options?.afterVersion ?? 0;
    // Events after `after` and the head item in one key range ('e#…' sorts before 'head').
    const items = await this.queryAll('readStream', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: {
        ':pk': { S: streamId },
        ':from': { S: eventSortKey(after + 1) },
        ':to': { S: HEAD_SK },
      },
      ConsistentRead: true,
    });
    const head = items.find((item) => item.sk?.S === HEAD_SK);
    const events = items.filter((item) => item !== head).map((item) => recordedEventOf(streamId, item));
    assertContiguous(streamId, after, events);
    const last = events.at(-1);
    // With no newer events the head says where the stream is, but never more than `after`:
    // a head ahead of the events we saw means an append landed mid-read, and the events we
    // did see must be folded at their own version (an append at it then conflicts safely).
    const version = last ? last.version : Math.min(versionOf(head), options?.afterVersion ?? Infinity);
    return { version, events };
  }

  /** Newest first, for operators' reads (the `hangar` CLI); see read-backward.ts. */
  readBackward(
    streamId: string,
    options: { readonly limit: number; readonly toVersion?: number },
  ): Promise<readonly RecordedEvent[]> {
    return readBackward(this.client, this.tableName, streamId, {
      ...options,
      pageSize: this.options.pageSize,
    });
  }

  /** Batched key lookups of many streams' events (batch-reads.ts). */
  readEventsUpTo(
    streams: readonly { readonly streamId: string; readonly version: number }[],
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
    return readEventsUpTo(this.client, this.tableName, streams);
  }

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<{ readonly version: number }> {
    if (events.length === 0) return { version: expectedVersion };
    const items = appendTransaction(this.tableName, streamId, expectedVersion, events, options);
    const inline = inlineExpiry(expectedVersion, events.length, options);
    try {
      // The token makes the SDK's own retries of this call idempotent (a retry after a lost
      // response returns success instead of a spurious conflict).
      await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
      );
    } catch (error) {
      // An earlier event is gone (TTL): nothing was written; append without stamping it.
      if (inline && expiryStampFailed(error, events.length))
        return this.append(streamId, expectedVersion, events, { ...options, noSnapshot: false });
      throw appendFailure(streamId, expectedVersion, error);
    }
    if (options.expiresAt !== undefined && !inline) {
      await this.expireStream(streamId, options.expiresAt).catch((error: unknown) =>
        this.options.onExpiryFailure?.(streamId, translateDynamoDbError('expireStream', error)),
      );
    }
    return { version: expectedVersion + events.length };
  }

  /** One TransactWriteItems over every stream's items (multi-append.ts). */
  async appendAll(appends: readonly StreamAppend[]): Promise<readonly { readonly version: number }[]> {
    const transaction = multiAppendTransaction(this.tableName, appends);
    const versions = appends.map((part) => ({ version: part.expectedVersion + part.events.length }));
    if (transaction.items.length === 0) return versions;
    try {
      // As in `append`: the token makes the SDK's retries after a lost response idempotent.
      await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: transaction.items, ClientRequestToken: randomUUID() }),
      );
    } catch (error) {
      throw multiAppendFailure(transaction, error);
    }
    for (const { append } of transaction.parts) {
      const { expiresAt } = append.options;
      if (expiresAt === undefined) continue;
      await this.expireStream(append.streamId, expiresAt).catch((error: unknown) =>
        this.options.onExpiryFailure?.(append.streamId, translateDynamoDbError('expireStream', error)),
      );
    }
    return versions;
  }

  /**
   * Sets the TTL on every item of a stream that does not carry it yet (see stream-expiry.ts).
   * Idempotent: safe to re-run after `onExpiryFailure` reported a failure.
   */
  async expireStream(streamId: string, expiresAt: string): Promise<void> {
    const items = await this.queryAll('expireStream', expiryKeysQuery(streamId));
    await stampExpiry(this.client, this.tableName, items, ttlSeconds(expiresAt));
  }

  async loadSnapshot(
    streamId: string,
  ): Promise<{ readonly version: number; readonly state: unknown } | null> {
    try {
      const { Item } = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: streamId }, sk: { S: SNAPSHOT_SK } },
          ConsistentRead: true,
        }),
      );
      if (!Item?.state) return null;
      return { version: versionOf(Item), state: fromAttribute(Item.state) };
    } catch (error) {
      throw translateDynamoDbError('loadSnapshot', error);
    }
  }

  /** The snapshot and the events after it in one Query (read-from-snapshot.ts). */
  readFromSnapshot(streamId: string, options?: SnapshotReadOptions): Promise<SnapshotRead> {
    return readFromSnapshot(this.client, this.tableName, streamId, {
      ...options,
      pageSize: this.options.pageSize,
    });
  }

  async saveSnapshot(streamId: string, version: number, state: unknown): Promise<void> {
    const item: Item = {
      pk: { S: streamId },
      sk: { S: SNAPSHOT_SK },
      version: { N: String(version) },
      state: toAttribute(state, 'state'),
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          // The highest version wins whatever order concurrent savers arrive in.
          ConditionExpression: 'attribute_not_exists(#pk) OR #version < :version',
          ExpressionAttributeNames: { '#pk': 'pk', '#version': 'version' },
          ExpressionAttributeValues: { ':version': { N: String(version) } },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw translateDynamoDbError('saveSnapshot', error);
    }
  }

  async listOpen(streamType: StreamHead['streamType'], group?: string): Promise<readonly StreamHeadRecord[]> {
    const values: Item = { ':pk': { S: openPartition(streamType) } };
    let condition = '#pk = :pk';
    if (group !== undefined) {
      values[':prefix'] = { S: openSortPrefix(group) };
      condition += ' AND begins_with(#sk, :prefix)';
    }
    const items = await this.queryAll('listOpen', {
      IndexName: INDEX.open.name,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: {
        '#pk': INDEX.open.partition,
        ...(group !== undefined ? { '#sk': INDEX.open.sort } : {}),
      },
      ExpressionAttributeValues: values,
    });
    // A prefix also matches groups that merely start with `group#`; keep exact matches only.
    return items
      .map(headRecordOf)
      .filter(
        (head): head is StreamHeadRecord => head !== null && (group === undefined || head.group === group),
      );
  }

  async findByLookupKey(streamType: StreamHead['streamType'], key: string): Promise<StreamHeadRecord | null> {
    const byIndex = (index: { name: string; partition: string }, partition: string) =>
      this.queryAll('findByLookupKey', {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partition },
        ExpressionAttributeValues: { ':pk': { S: partition } },
      });
    // The lookup key first (instance ids, the common question); the alternate key only on a
    // miss: one Query instead of two for every machine event.
    const first = async (items: Promise<Item[]>) =>
      (await items).map(headRecordOf).find((head) => head !== null) ?? null;
    return (
      (await first(byIndex(INDEX.lookup, lookupPartition(streamType, key)))) ??
      first(byIndex(INDEX.alternate, alternatePartition(streamType, key)))
    );
  }

  async readHeads(streamIds: readonly string[]): Promise<readonly StreamHeadRecord[]> {
    const items = await readHeadItems(this.client, this.tableName, streamIds);
    return items.map(headRecordOf).filter((head): head is StreamHeadRecord => head !== null);
  }

  private queryAll(operation: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(
      this.client,
      { ...input, TableName: this.tableName, Limit: this.options.pageSize },
      operation,
    );
  }
}
