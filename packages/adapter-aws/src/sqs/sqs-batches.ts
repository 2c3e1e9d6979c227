import { ConfigurationError, DependencyError } from '@hangar/core';

/** SQS's longest per-message delay, in seconds (15 minutes). */
export const MAX_DELAY_SECONDS = 900;
/** SendMessageBatch takes at most 10 entries. */
export const MAX_BATCH_ENTRIES = 10;
/**
 * 256 KiB: the classic SQS limit for one message and for a whole batch. AWS has since raised
 * it to 1 MiB, but queues created with an explicit MaximumMessageSize keep the lower value,
 * so this is the safe default; raise it with `maxBatchBytes` when the queue allows.
 */
export const DEFAULT_MAX_BATCH_BYTES = 262_144;

/** One SendMessageBatch entry before it is sent; `id` is `m<index in the send call>`. */
export interface PreparedEntry {
  readonly id: string;
  readonly body: string;
  readonly bytes: number;
  readonly groupId?: string;
  readonly dedupId?: string;
}

/** Rejects a delay SQS would refuse; FIFO queues take no per-message delay at all. */
export function validateDelay(
  delaySeconds: number | undefined,
  fifo: boolean,
  queueUrl: string,
): number | undefined {
  if (delaySeconds === undefined) return undefined;
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw new ConfigurationError([
      `SQS delaySeconds must be an integer from 0 to ${MAX_DELAY_SECONDS}, got ${delaySeconds}`,
    ]);
  }
  if (fifo && delaySeconds > 0) {
    // SQS rule: FIFO queues support a delay only as the queue's DelaySeconds attribute.
    throw new ConfigurationError([
      `SQS FIFO queue ${queueUrl} does not accept a per-message delay (got ${delaySeconds}); set DelaySeconds on the queue instead`,
    ]);
  }
  return delaySeconds;
}

/**
 * Serialises and checks each message. On a FIFO queue every message needs a group id (its
 * ordering and locking unit) and a dedup id (Hangar derives it from the job or runner id, so
 * a retried send within SQS's 5-minute window is dropped). Standard queues ignore both.
 */
export function prepareEntries<M>(
  messages: readonly { readonly body: M; readonly groupId?: string; readonly dedupId?: string }[],
  serialize: (message: M) => string,
  fifo: boolean,
  maxBytes: number,
  queueUrl: string,
): PreparedEntry[] {
  const problems: string[] = [];
  const entries = messages.map((message, index) => {
    const body = serialize(message.body);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (fifo && !message.groupId)
      problems.push(`message ${index} has no groupId, which FIFO queue ${queueUrl} requires`);
    if (fifo && !message.dedupId)
      problems.push(`message ${index} has no dedupId, which FIFO queue ${queueUrl} requires`);
    const entry: PreparedEntry = { id: `m${index}`, body, bytes };
    return fifo ? { ...entry, groupId: message.groupId, dedupId: message.dedupId } : entry;
  });
  if (problems.length > 0) throw new ConfigurationError(problems);
  const oversized = entries.filter((e) => e.bytes > maxBytes);
  if (oversized.length > 0) {
    const list = oversized.map((e) => `${e.id} (${e.bytes} bytes)`).join(', ');
    throw new DependencyError(
      'sqs',
      'SendMessageBatch',
      `${queueUrl}: messages over the ${maxBytes}-byte limit: ${list}`,
      false,
    );
  }
  return entries;
}

/** Consecutive chunks of at most 10 entries and `maxBytes` in total, in the original order. */
export function chunkEntries(entries: readonly PreparedEntry[], maxBytes: number): PreparedEntry[][] {
  const chunks: PreparedEntry[][] = [];
  let current: PreparedEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + entry.bytes > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
