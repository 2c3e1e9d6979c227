import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyError, type RecordedEvent } from '@hangar/core';
import { translateDynamoDbError } from './dynamodb-errors';
import { recordedEventOf } from './event-item';
import { HEAD_SK, eventSortKey } from './table';

type Item = Record<string, AttributeValue>;

/** BatchGetItem's limit of keys per request. */
const BATCH = 100;
/** Rounds for keys DynamoDB leaves unprocessed (throttling): about 0.75 s of pauses, then a retryable failure. */
const MAX_ROUNDS = 5;
const BASE_DELAY_MS = 25;

/**
 * Items by key, read consistently with BatchGetItem (100 keys a request). DynamoDB may return
 * some keys as `UnprocessedKeys` (throttled, or a response over 16 MB); those are asked again
 * with a growing pause, as AWS advises, a bounded number of times.
 */
async function batchGetItems(
  client: DynamoDBClient,
  tableName: string,
  allKeys: readonly Item[],
  operation: string,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < allKeys.length; start += BATCH) {
    let keys: Item[] = allKeys.slice(start, start + BATCH);
    for (let round = 0; keys.length > 0; round += 1) {
      if (round === MAX_ROUNDS) {
        throw new DependencyError('dynamodb', operation, `${keys.length} keys still unprocessed`, true);
      }
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** round));
      try {
        const answer = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        items.push(...(answer.Responses?.[tableName] ?? []));
        keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      } catch (error) {
        throw translateDynamoDbError(operation, error);
      }
    }
  }
  return items;
}

/** The head items of `streamIds` (a repeated id is read once). */
export function readHeadItems(
  client: DynamoDBClient,
  tableName: string,
  streamIds: readonly string[],
): Promise<Item[]> {
  const keys = [...new Set(streamIds)].map((id) => ({ pk: { S: id }, sk: { S: HEAD_SK } }));
  return batchGetItems(client, tableName, keys, 'readHeads');
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
  for (const item of await batchGetItems(client, tableName, keys, 'readEventsUpTo')) {
    const streamId = item.pk?.S ?? '';
    byStream.get(streamId)?.push(recordedEventOf(streamId, item));
  }
  for (const events of byStream.values()) events.sort((a, b) => a.version - b.version);
  return byStream;
}
