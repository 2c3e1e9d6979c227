import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RecordedEvent, SnapshotRead, SnapshotReadOptions } from '@hangar/core';
import { assertContiguous, recordedEventOf } from './event-item';
import { versionOf } from './head-item';
import { fromAttribute } from './json-attribute';
import { queryPage } from './query-pages';
import { HEAD_SK, SNAPSHOT_SK, eventSortKey } from './table';

type Item = Record<string, AttributeValue>;

/** Snapshot cadence assumed when the caller names none (core's pools save one every 50 events). */
const DEFAULT_SNAPSHOT_EVERY = 50;

/**
 * A snapshotted stream in one Query (usually one page) instead of a GetItem of the snapshot and
 * a Query of the events after it. The partition is read newest first — `snapshot`, `head`, then
 * `e#…` downwards (byte order: `e#…` < `head` < `snapshot`) — until an event at or below the
 * snapshot's version shows the tail is complete, or the stream's first event is reached.
 * Consistent reads, as `readStream`: events after the snapshot must be contiguous (a gap is a
 * retryable error) and the version is that of the newest event read, or the snapshot's when none
 * is newer (never the head's alone: an append seen only in part is folded at the version read,
 * so appending at it conflicts safely).
 */
export async function readFromSnapshot(
  client: DynamoDBClient,
  tableName: string,
  streamId: string,
  options: SnapshotReadOptions & { readonly pageSize?: number } = {},
): Promise<SnapshotRead> {
  let snapshotItem: Item | undefined;
  let head: Item | undefined;
  const newestFirst: RecordedEvent[] = [];
  let startKey: Item | undefined;
  do {
    const limit = pageLimit(options, startKey === undefined, newestFirst, snapshotItem, head);
    const read = await queryPage(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: {
          ':pk': { S: streamId },
          ':from': { S: eventSortKey(1) },
          ':to': { S: SNAPSHOT_SK },
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      },
      'readFromSnapshot',
    );
    for (const item of read.items) {
      if (item.sk?.S === SNAPSHOT_SK) snapshotItem = item;
      else if (item.sk?.S === HEAD_SK) head = item;
      else newestFirst.push(recordedEventOf(streamId, item));
    }
    startKey = read.lastKey;
  } while (startKey && !reachedSnapshot(newestFirst, snapshotItem));
  const snapshot = snapshotItem?.state
    ? { version: versionOf(snapshotItem), state: fromAttribute(snapshotItem.state) }
    : null;
  const after = snapshot?.version ?? 0;
  const events = newestFirst.filter((event) => event.version > after).reverse();
  assertContiguous(streamId, after, events);
  const last = events.at(-1);
  const version = last ? last.version : Math.min(versionOf(head), snapshot ? after : Infinity);
  return { snapshot, slice: { version, events } };
}

/**
 * The first page asks for the snapshot, the head and the ≤ every-1 events after it: exactly
 * the tail when the last snapshot was saved. A longer tail (a snapshot save was lost) is then
 * asked for exactly — the head and the snapshot say how many events are missing — and a stream
 * without a snapshot is read whole in DynamoDB's own (1 MB) pages.
 */
function pageLimit(
  options: SnapshotReadOptions & { readonly pageSize?: number },
  first: boolean,
  newestFirst: readonly RecordedEvent[],
  snapshot: Item | undefined,
  head: Item | undefined,
): number | undefined {
  let wanted: number | undefined;
  if (first) wanted = (options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY) + 1;
  else if (snapshot) {
    const below = newestFirst.at(-1)?.version ?? versionOf(head) + 1;
    wanted = Math.max(1, below - versionOf(snapshot) - 1);
  }
  if (options.pageSize === undefined) return wanted;
  return wanted === undefined ? options.pageSize : Math.min(wanted, options.pageSize);
}

/**
 * Nothing after the snapshot is missing: the events read reach down to the one just after it
 * (or to it: a snapshot of the stream's current version).
 */
function reachedSnapshot(newestFirst: readonly RecordedEvent[], snapshot: Item | undefined): boolean {
  const oldest = newestFirst.at(-1);
  return snapshot !== undefined && oldest !== undefined && oldest.version <= versionOf(snapshot) + 1;
}
