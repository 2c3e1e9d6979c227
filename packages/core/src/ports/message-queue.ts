/**
 * A work queue (SQS). Delivery is at least once: consumers must be idempotent, which the
 * deciders make them.
 *
 * Contract: `delaySeconds` must be within 0–900 (else a non-retryable error); a batch is
 * sent whole or the call throws; FIFO queues group by `groupId` and dedupe by `dedupId`.
 */
export interface MessageQueue<M> {
  /**
   * False when messages cannot be delayed one by one (SQS FIFO queues): callers that need
   * a delay must then let the message come back through its visibility timeout instead.
   * Absent means true.
   */
  readonly acceptsDelay?: boolean;
  send(
    messages: readonly { readonly body: M; readonly groupId?: string; readonly dedupId?: string }[],
    options?: { readonly delaySeconds?: number },
  ): Promise<void>;
}
