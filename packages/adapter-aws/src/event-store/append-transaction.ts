import type { AttributeValue, CancellationReason, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DependencyError, VersionConflictError, type AppendOptions, type HangarError } from '@hangar/core';
import { headUpdate, versionOf } from './head-item';
import { toAttribute, toAttributeMap } from './json-attribute';
import { TTL_ATTRIBUTE, eventSortKey, ttlSeconds } from './table';
import { translateDynamoDbError } from './dynamodb-errors';

/** A TransactWriteItems call holds at most 100 items; one of them is the stream head. */
export const MAX_EVENTS_PER_APPEND = 99;

/**
 * The items of one append: the head update (the concurrency check) and one conditional Put per
 * event. All of them commit or none does. An append is never split across transactions: a
 * split would let a reader (or a crash) see half a decision, so too many events is an error.
 */
export function appendTransaction(
  tableName: string,
  streamId: string,
  expectedVersion: number,
  events: readonly { type: string; data: unknown }[],
  options: AppendOptions,
): TransactWriteItem[] {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0)
    throw new RangeError(`expectedVersion must be a whole number ≥ 0, got ${expectedVersion}`);
  if (events.length > MAX_EVENTS_PER_APPEND)
    throw new DependencyError(
      'dynamodb',
      'append',
      `${events.length} events on stream ${streamId} exceed the ${MAX_EVENTS_PER_APPEND} one atomic ` +
        'DynamoDB transaction can hold (100 items including the stream head); appends are never split',
      false,
    );
  const ttl = options.expiresAt === undefined ? undefined : ttlSeconds(options.expiresAt);
  const metadata = toAttributeMap(options.metadata as unknown as Record<string, unknown>, 'metadata');
  const newVersion = expectedVersion + events.length;
  const puts: TransactWriteItem[] = events.map((event, i) => {
    const version = expectedVersion + i + 1;
    const item: Record<string, AttributeValue> = {
      pk: { S: streamId },
      sk: { S: eventSortKey(version) },
      version: { N: String(version) },
      type: { S: event.type },
      data: toAttribute(event.data, `events[${i}].data`),
      metadata: { M: metadata },
    };
    if (ttl !== undefined) item[TTL_ATTRIBUTE] = { N: String(ttl) };
    return {
      Put: {
        TableName: tableName,
        Item: item,
        // Never overwrite an event, even if a head were somehow behind its events.
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      },
    };
  });
  return [
    { Update: headUpdate(tableName, streamId, expectedVersion, newVersion, options.head, ttl) },
    ...puts,
    ...(ttl !== undefined && inlineExpiry(expectedVersion, events.length, options)
      ? earlierEventsExpiry(tableName, streamId, expectedVersion, ttl)
      : []),
  ];
}

/**
 * Whether a terminal append also stamps the stream's earlier events (see table-design.md,
 * "TTL"): only for a stream without a snapshot item (its items are its events and head) that
 * fits in one transaction with them. Otherwise `expireStream` stamps them after the commit.
 */
export function inlineExpiry(expectedVersion: number, count: number, options: AppendOptions): boolean {
  return (
    options.expiresAt !== undefined &&
    options.noSnapshot === true &&
    expectedVersion > 0 &&
    expectedVersion + count + 1 <= MAX_TRANSACTION_ITEMS
  );
}

const MAX_TRANSACTION_ITEMS = MAX_EVENTS_PER_APPEND + 1;

/**
 * `SET ttl` on events 1..expectedVersion. Conditional on the item existing, so an event TTL
 * already deleted (a stream appended to long after it ended) is never recreated as a bare key:
 * that condition failing cancels the transaction, and the append is made again without them
 * (`expiryStampFailed`).
 */
function earlierEventsExpiry(
  tableName: string,
  streamId: string,
  expectedVersion: number,
  ttl: number,
): TransactWriteItem[] {
  return Array.from({ length: expectedVersion }, (_, i) => ({
    Update: {
      TableName: tableName,
      Key: { pk: { S: streamId }, sk: { S: eventSortKey(i + 1) } },
      UpdateExpression: 'SET #ttl = :ttl',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#pk': 'pk' },
      ExpressionAttributeValues: { ':ttl': { N: String(ttl) } },
    },
  }));
}

/** The transaction failed only on an earlier event's expiry stamp (that event is gone). */
export function expiryStampFailed(error: unknown, count: number): boolean {
  const shape = (error ?? {}) as CanceledShape;
  if (shape.name !== 'TransactionCanceledException' || !shape.CancellationReasons) return false;
  const reasons = shape.CancellationReasons;
  const failed = reasons.flatMap((reason, index) => (reason.Code && reason.Code !== 'None' ? [index] : []));
  return failed.length > 0 && failed.every((index) => index > count);
}

interface CanceledShape {
  readonly name?: string;
  readonly CancellationReasons?: readonly CancellationReason[];
}

/**
 * What a failed append means. A failed condition is a version conflict (with the actual
 * version when the head came back); a `TransactionConflict` is a concurrent writer on the same
 * items, also a conflict, version unknown. Throttling and 5xx are retryable dependency errors,
 * validation (item too large, bad input) is not.
 */
export function appendFailure(streamId: string, expectedVersion: number, error: unknown): HangarError {
  const shape = (error ?? {}) as CanceledShape;
  if (shape.name !== 'TransactionCanceledException' || !shape.CancellationReasons)
    return translateDynamoDbError('append', error);
  const reasons = shape.CancellationReasons;
  const head = reasons[0];
  if (head?.Code === 'ConditionalCheckFailed')
    return new VersionConflictError(streamId, expectedVersion, versionOf(head.Item), { cause: error });
  if (
    reasons.some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  )
    return new VersionConflictError(streamId, expectedVersion, null, { cause: error });
  const codes = reasons.map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None');
  const retryable = codes.every(
    (code) => code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded',
  );
  return new DependencyError(
    'dynamodb',
    'append',
    `transaction on stream ${streamId} cancelled: ${codes.join(', ') || 'no reason given'}`,
    retryable && codes.length > 0,
    { cause: error },
  );
}
