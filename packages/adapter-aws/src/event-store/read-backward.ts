import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RecordedEvent } from '@hangar/core';
import { recordedEventOf } from './event-item';
import { queryUpTo } from './query-pages';
import { eventSortKey } from './table';

const NEWEST = 999_999_999_999;

/**
 * A stream's events newest first (Query with ScanIndexForward=false over the event sort keys,
 * which never reaches the head or snapshot items). Eventually consistent: this serves
 * operators' reads, never a decision.
 */
export async function readBackward(
  client: DynamoDBClient,
  tableName: string,
  streamId: string,
  options: { readonly limit: number; readonly toVersion?: number; readonly pageSize?: number },
): Promise<readonly RecordedEvent[]> {
  if (options.limit <= 0 || (options.toVersion !== undefined && options.toVersion < 1)) return [];
  const items = await queryUpTo(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: {
        ':pk': { S: streamId },
        ':from': { S: eventSortKey(1) },
        ':to': { S: eventSortKey(options.toVersion ?? NEWEST) },
      },
      ScanIndexForward: false,
      ...(options.pageSize ? { Limit: options.pageSize } : {}),
    },
    options.limit,
    'readBackward',
  );
  return items.map((item) => recordedEventOf(streamId, item));
}
