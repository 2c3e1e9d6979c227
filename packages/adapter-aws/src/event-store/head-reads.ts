import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '@hangar/core';
import { translateDynamoDbError } from './dynamodb-errors';
import { HEAD_SK } from './table';

type Item = Record<string, AttributeValue>;

/** BatchGetItem's limit of keys per request. */
const BATCH = 100;
/** Rounds for keys DynamoDB leaves unprocessed (throttling): about 0.75 s of pauses, then a retryable failure. */
const MAX_ROUNDS = 5;
const BASE_DELAY_MS = 25;

/**
 * The head items of `streamIds`, read consistently with BatchGetItem (100 keys a request).
 * DynamoDB may return some keys as `UnprocessedKeys` (throttled, or a response over 16 MB);
 * those are asked again with a growing pause, as AWS advises, a bounded number of times.
 */
export async function readHeadItems(
  client: DynamoDBClient,
  tableName: string,
  streamIds: readonly string[],
): Promise<Item[]> {
  const ids = [...new Set(streamIds)];
  const items: Item[] = [];
  for (let start = 0; start < ids.length; start += BATCH) {
    let keys: Item[] = ids.slice(start, start + BATCH).map((id) => ({ pk: { S: id }, sk: { S: HEAD_SK } }));
    for (let round = 0; keys.length > 0; round += 1) {
      if (round === MAX_ROUNDS) {
        throw new DependencyError('dynamodb', 'readHeads', `${keys.length} heads still unprocessed`, true);
      }
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** round));
      try {
        const answer = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        items.push(...(answer.Responses?.[tableName] ?? []));
        keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      } catch (error) {
        throw translateDynamoDbError('readHeads', error);
      }
    }
  }
  return items;
}
