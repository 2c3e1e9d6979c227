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
export async function queryAll(
  client: DynamoDBClient,
  input: QueryCommandInput,
  operation: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    try {
      const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } catch (error) {
      throw translateDynamoDbError(operation, error);
    }
  } while (startKey);
  return items;
}

/** At most `max` items of a Query, following `LastEvaluatedKey` only until that many are read. */
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
      const Limit = Math.min(input.Limit ?? max, max - items.length);
      const page = await client.send(new QueryCommand({ ...input, Limit, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } catch (error) {
      throw translateDynamoDbError(operation, error);
    }
  } while (startKey && items.length < max);
  return items;
}
