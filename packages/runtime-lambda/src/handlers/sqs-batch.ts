import type { Logger, Metrics } from '@hangar/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isRetryable } from './invocation';

/** Records of one batch processed at the same time (each does a few store and cloud calls). */
export const RECORD_CONCURRENCY = 4;

/** What processing one record decided; `retry` puts it back on the queue. */
export type RecordResult =
  { readonly retry: false } | { readonly retry: true; readonly reason: string; readonly logged?: boolean };

export interface BatchOptions {
  readonly queue: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Parses the body; a string is the reason it is malformed. */
  readonly process: (record: SQSRecord) => Promise<RecordResult>;
}

async function settle(record: SQSRecord, options: BatchOptions): Promise<boolean> {
  const { logger, metrics, queue } = options;
  try {
    const result = await options.process(record);
    if (!result.retry) return true;
    if (result.logged !== true)
      logger.warn('Message returned to the queue', {
        queue,
        messageId: record.messageId,
        reason: result.reason,
      });
    return false;
  } catch (error) {
    const retryable = isRetryable(error);
    // Not retryable still goes back: SQS's redrive policy moves it to the DLQ after maxReceiveCount.
    logger[retryable ? 'warn' : 'error']('Message failed', {
      queue,
      messageId: record.messageId,
      retryable,
      error,
    });
    metrics.add('MessagesFailed', 1, 'Count', { queue });
    return false;
  }
}

/**
 * Records in the order they must be handled: one lane per FIFO message group (in order),
 * every record of a standard queue in a lane of its own.
 */
function lanes(records: readonly SQSRecord[]): SQSRecord[][] {
  const byGroup = new Map<string, SQSRecord[]>();
  const out: SQSRecord[][] = [];
  for (const record of records) {
    const group = record.attributes?.MessageGroupId;
    if (group === undefined) {
      out.push([record]);
      continue;
    }
    const lane = byGroup.get(group);
    if (lane) lane.push(record);
    else {
      const fresh = [record];
      byGroup.set(group, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/**
 * A batch with per-record outcomes (`ReportBatchItemFailures`): a record that succeeded is
 * deleted, any other is listed so SQS delivers it again after its visibility timeout, and the
 * queue's redrive policy dead-letters it after maxReceiveCount. One bad record never fails
 * the batch, and nothing is acknowledged without having been handled. Up to
 * RECORD_CONCURRENCY lanes run at once; within a FIFO message group records run in order, and
 * after a failure the rest of that group is listed unprocessed, so SQS keeps the group's order.
 */
export async function processBatch(event: SQSEvent, options: BatchOptions): Promise<SQSBatchResponse> {
  const pending = lanes(event.Records ?? []);
  const failed = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const lane = pending[next++] as SQSRecord[];
      let blocked = false;
      for (const record of lane) {
        if (blocked || !(await settle(record, options))) {
          blocked = true;
          failed.add(record.messageId);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECORD_CONCURRENCY, pending.length) }, worker));
  // In the batch's order, as Lambda reads them.
  const batchItemFailures = (event.Records ?? [])
    .filter((record) => failed.has(record.messageId))
    .map((record) => ({ itemIdentifier: record.messageId }));
  return { batchItemFailures };
}

/**
 * A body that cannot be parsed is logged as an error on its first receive only (its later
 * receives until the DLQ take it are expected) and returned to the queue so it ends in the DLQ
 * for an operator, never silently deleted.
 */
export function malformed(
  record: SQSRecord,
  options: Omit<BatchOptions, 'process'>,
  problem: string,
): RecordResult {
  const firstReceive = record.attributes?.ApproximateReceiveCount === '1';
  const attributes = { queue: options.queue, messageId: record.messageId, problem };
  if (firstReceive) {
    options.logger.error('Malformed message', attributes);
    options.metrics.add('MalformedMessages', 1, 'Count', { queue: options.queue });
  } else options.logger.debug('Malformed message received again', attributes);
  return { retry: true, reason: `malformed: ${problem}`, logged: true };
}
