import {
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { translateDynamoDbError } from './dynamodb-errors';

type Item = Record<string, AttributeValue>;

/**
 * Every item a Query matches, following `LastEvaluatedKey` page by page (DynamoDB ends a page
 * at 1 MB or `Limit` items, whichever comes first). Failures leave as `DependencyError`s.
 */
export function queryAll(
  client: DynamoDBClient,
  input: QueryCommandInput,
  operation: string,
): Promise<Item[]> {
  return queryUpTo(client, input, Number.POSITIVE_INFINITY, operation);
}

/**
 * At most `max` items of a Query, following `LastEvaluatedKey` only until that many are read
 * (`Limit` shrinks to what is still wanted; an unbounded `max` keeps the input's own `Limit`).
 */
export async function queryUpTo(
  client: DynamoDBClient,
  input: QueryCommandInput,
  max: number,
  operation: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    try {
      const limit = Math.min(input.Limit ?? max, max - items.length);
      const Limit = Number.isFinite(limit) ? limit : undefined;
      const page = await client.send(new QueryCommand({ ...input, Limit, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } catch (error) {
      throw translateDynamoDbError(operation, error);
    }
  } while (startKey && items.length < max);
  return items;
}

/** One page of a Query, and where the next one starts (undefined: none). */
export async function queryPage(
  client: DynamoDBClient,
  input: QueryCommandInput,
  operation: string,
): Promise<{ readonly items: Item[]; readonly lastKey: Item | undefined }> {
  try {
    const page = await client.send(new QueryCommand(input));
    return { items: page.Items ?? [], lastKey: page.LastEvaluatedKey };
  } catch (error) {
    throw translateDynamoDbError(operation, error);
  }
}
