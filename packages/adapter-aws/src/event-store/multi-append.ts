import type { CancellationReason, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DependencyError, VersionConflictError, type HangarError, type StreamAppend } from '@hangar/core';
import { appendFailure, appendTransaction } from './append-transaction';
import { versionOf } from './head-item';

/** A TransactWriteItems call holds at most 100 items (heads included). */
const MAX_TRANSACTION_ITEMS = 100;

export interface MultiAppendTransaction {
  readonly items: TransactWriteItem[];
  /** The appends written (those with events) and where each one's items start. */
  readonly parts: readonly { readonly append: StreamAppend; readonly from: number; readonly count: number }[];
}

/**
 * The items of an atomic append across streams: each stream's items as `append` writes them
 * (its head update first: the version check), in ONE transaction, so DynamoDB commits all or
 * none. An earlier-event expiry stamp is never inlined here (the caller stamps after the commit),
 * and a write too large for one transaction is refused, never split.
 */
export function multiAppendTransaction(
  tableName: string,
  appends: readonly StreamAppend[],
): MultiAppendTransaction {
  const ids = appends.map((part) => part.streamId);
  if (new Set(ids).size !== ids.length) throw new RangeError(`a stream is named twice: ${ids.join(', ')}`);
  const items: TransactWriteItem[] = [];
  const parts: { append: StreamAppend; from: number; count: number }[] = [];
  for (const append of appends) {
    if (append.events.length === 0) continue;
    const own = appendTransaction(tableName, append.streamId, append.expectedVersion, append.events, {
      ...append.options,
      noSnapshot: false,
    });
    parts.push({ append, from: items.length, count: own.length });
    items.push(...own);
  }
  if (items.length > MAX_TRANSACTION_ITEMS)
    throw new DependencyError(
      'dynamodb',
      'append',
      `${items.length} items on streams ${ids.join(', ')} exceed the ${MAX_TRANSACTION_ITEMS} one atomic ` +
        'DynamoDB transaction can hold; appends are never split',
      false,
    );
  return { items, parts };
}

/**
 * What a failed multi-stream transaction means: DynamoDB returns one cancellation reason per
 * item, in order, so the first stream whose items failed a condition (or met a concurrent
 * transaction) is the one the `VersionConflictError` names, with the version its head showed.
 */
export function multiAppendFailure(transaction: MultiAppendTransaction, error: unknown): HangarError {
  const shape = (error ?? {}) as {
    readonly name?: string;
    readonly CancellationReasons?: readonly CancellationReason[];
  };
  const reasons = shape.name === 'TransactionCanceledException' ? (shape.CancellationReasons ?? []) : [];
  for (const { append, from, count } of transaction.parts) {
    const own = reasons.slice(from, from + count);
    if (
      !own.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')
    )
      continue;
    // The head update is the stream's first item: its old image says where the stream is.
    const head = own[0];
    const actual = head?.Code === 'ConditionalCheckFailed' ? versionOf(head.Item) : null;
    return new VersionConflictError(append.streamId, append.expectedVersion, actual, { cause: error });
  }
  const first = transaction.parts[0]?.append;
  return appendFailure(first?.streamId ?? '(no stream)', first?.expectedVersion ?? 0, error);
}
