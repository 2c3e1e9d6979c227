import {
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { translateDynamoDbError } from './dynamodb-errors';
import { TTL_ATTRIBUTE } from './table';

type Item = Record<string, AttributeValue>;

/**
 * DynamoDB expires items one by one, and a stream's earlier events were written before it
 * ended, without a `ttl`. When a stream ends, its terminal append sets `ttl` on the head and
 * its own events (in the transaction); these helpers then stamp every other item of the
 * partition (earlier events, the snapshot). Bounded by the stream's length: the streams that
 * end (jobs, runners) are short. docs/table-design.md, "TTL", explains the remaining gap.
 */
export function expiryKeysQuery(streamId: string): Omit<QueryCommandInput, 'TableName'> {
  return {
    KeyConditionExpression: '#pk = :pk',
    ProjectionExpression: '#pk, #sk, #ttl',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#ttl': TTL_ATTRIBUTE },
    ExpressionAttributeValues: { ':pk': { S: streamId } },
    ConsistentRead: true,
  };
}

/** Sets `ttl` on each item that does not hold it yet; an item already deleted stays deleted. */
export async function stampExpiry(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
  ttlEpochSeconds: number,
): Promise<void> {
  const ttl = String(ttlEpochSeconds);
  for (const item of items.filter((candidate) => candidate[TTL_ATTRIBUTE]?.N !== ttl)) {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue },
          UpdateExpression: 'SET #ttl = :ttl',
          // Without it, an update would recreate an item TTL already removed, as a bare key.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#pk': 'pk' },
          ExpressionAttributeValues: { ':ttl': { N: ttl } },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException')
        throw translateDynamoDbError('expireStream', error);
    }
  }
}
