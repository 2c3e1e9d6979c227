import {
  SendMessageBatchCommand,
  type BatchResultErrorEntry,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DependencyError, type MessageQueue } from '@hangar/core';
import {
  chunkEntries,
  DEFAULT_MAX_BATCH_BYTES,
  prepareEntries,
  validateDelay,
  type PreparedEntry,
} from './sqs-batches';
import { translateSqsError } from './sqs-errors';

export interface SqsMessageQueueConfig<M> {
  readonly client: SQSClient;
  /** A URL ending in `.fifo` is treated as a FIFO queue. */
  readonly queueUrl: string;
  /** Message body encoding (default `JSON.stringify`). */
  readonly serialize?: (message: M) => string;
  /** Byte limit per message and per batch (default 256 KiB). */
  readonly maxBatchBytes?: number;
}

/**
 * A MessageQueue on SQS. Messages go out with SendMessageBatch in chunks of ≤ 10 entries and
 * ≤ `maxBatchBytes`, sent one after another so FIFO order holds across chunks. Entries SQS
 * reports as failed for its own reasons are sent once more; anything still failing, or
 * failing for the sender's fault, makes `send` throw. Delivery is at least once: a throw after
 * some chunks went out means a retry repeats them, which the idempotent consumers absorb.
 */
export class SqsMessageQueue<M> implements MessageQueue<M> {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly fifo: boolean;
  /** FIFO queues take a delay only as a queue attribute. */
  readonly acceptsDelay: boolean;
  private readonly serialize: (message: M) => string;
  private readonly maxBytes: number;

  constructor(config: SqsMessageQueueConfig<M>) {
    this.client = config.client;
    this.queueUrl = config.queueUrl;
    this.fifo = config.queueUrl.endsWith('.fifo');
    this.acceptsDelay = !this.fifo;
    this.serialize = config.serialize ?? ((message) => JSON.stringify(message));
    this.maxBytes = config.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  async send(
    messages: readonly { readonly body: M; readonly groupId?: string; readonly dedupId?: string }[],
    options: { readonly delaySeconds?: number } = {},
  ): Promise<void> {
    const delaySeconds = validateDelay(options.delaySeconds, this.fifo, this.queueUrl);
    const entries = prepareEntries(messages, this.serialize, this.fifo, this.maxBytes, this.queueUrl);
    for (const chunk of chunkEntries(entries, this.maxBytes)) {
      await this.sendChunk(chunk, delaySeconds);
    }
  }

  private async sendChunk(chunk: readonly PreparedEntry[], delaySeconds: number | undefined): Promise<void> {
    const firstFailures = await this.sendBatch(chunk, delaySeconds);
    if (firstFailures.length === 0) return;
    const senderFaults = firstFailures.filter((f) => f.SenderFault);
    // A sender fault (bad attribute, too long, ...) fails the same way every time.
    if (senderFaults.length > 0) throw this.failedEntries('rejected', senderFaults, false);
    const retryIds = new Set(firstFailures.map((f) => f.Id));
    const secondFailures = await this.sendBatch(
      chunk.filter((e) => retryIds.has(e.id)),
      delaySeconds,
    );
    if (secondFailures.length > 0) {
      const retryable = secondFailures.every((f) => !f.SenderFault);
      throw this.failedEntries('failed twice', secondFailures, retryable);
    }
  }

  /** One SendMessageBatch call; resolves to the entries SQS reports as failed. */
  private async sendBatch(
    chunk: readonly PreparedEntry[],
    delaySeconds: number | undefined,
  ): Promise<BatchResultErrorEntry[]> {
    const entries: SendMessageBatchRequestEntry[] = chunk.map((e) => ({
      Id: e.id,
      MessageBody: e.body,
      ...(delaySeconds !== undefined && !this.fifo ? { DelaySeconds: delaySeconds } : {}),
      ...(e.groupId ? { MessageGroupId: e.groupId } : {}),
      ...(e.dedupId ? { MessageDeduplicationId: e.dedupId } : {}),
    }));
    try {
      const out = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      return out.Failed ?? [];
    } catch (error) {
      throw translateSqsError(error, 'SendMessageBatch', this.queueUrl);
    }
  }

  private failedEntries(
    what: string,
    failures: readonly BatchResultErrorEntry[],
    retryable: boolean,
  ): DependencyError {
    const list = failures.map((f) => `${f.Id} (${f.Code}${f.Message ? `: ${f.Message}` : ''})`).join(', ');
    return new DependencyError(
      'sqs',
      'SendMessageBatch',
      `${this.queueUrl}: entries ${what}: ${list}`,
      retryable,
    );
  }
}
