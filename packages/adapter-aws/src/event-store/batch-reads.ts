import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RecordedEvent, StreamHeadRecord } from '@hangar/core';
import { translateDynamoDbError } from './dynamodb-errors';
import { recordedEventOf } from './event-item';
import { headRecordOf } from './head-item';
import { HEAD_SK, eventSortKey } from './table';

type Item = Record<string, AttributeValue>;
type Key = { pk: { S: string }; sk: { S: string } };

/** BatchGetItem takes at most 100 keys per call. */
const BATCH = 100;

/**
 * Items by key, 100 per BatchGetItem, retrying the keys DynamoDB hands back unprocessed (it
 * does when a call hits its 16 MB or throughput limits). Strongly consistent, like stream reads.
 */
async function getAll(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Key[],
  operation: string,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    let pending: Record<string, AttributeValue>[] = keys.slice(i, i + BATCH);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      try {
        const answer = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        items.push(...(answer.Responses?.[tableName] ?? []));
        pending = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      } catch (error) {
        throw translateDynamoDbError(operation, error);
      }
    }
  }
  return items;
}

/** Each stream's events 1..version, by key (the versions come from heads just read). */
export async function readEventsUpTo(
  client: DynamoDBClient,
  tableName: string,
  streams: readonly { readonly streamId: string; readonly version: number }[],
): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
  const keys = streams.flatMap(({ streamId, version }) =>
    Array.from({ length: version }, (_, i) => ({ pk: { S: streamId }, sk: { S: eventSortKey(i + 1) } })),
  );
  const byStream = new Map<string, RecordedEvent[]>(streams.map(({ streamId }) => [streamId, []]));
  for (const item of await getAll(client, tableName, keys, 'readEventsUpTo')) {
    const streamId = item.pk?.S ?? '';
    byStream.get(streamId)?.push(recordedEventOf(streamId, item));
  }
  for (const events of byStream.values()) events.sort((a, b) => a.version - b.version);
  return byStream;
}

/** Heads by stream id; streams without a head item (or with a version-only head) are absent. */
export async function readHeads(
  client: DynamoDBClient,
  tableName: string,
  streamIds: readonly string[],
): Promise<ReadonlyMap<string, StreamHeadRecord>> {
  const keys = [...new Set(streamIds)].map((streamId) => ({ pk: { S: streamId }, sk: { S: HEAD_SK } }));
  const heads = new Map<string, StreamHeadRecord>();
  for (const item of await getAll(client, tableName, keys, 'readHeads')) {
    const head = headRecordOf(item);
    if (head) heads.set(head.streamId, head);
  }
  return heads;
}
