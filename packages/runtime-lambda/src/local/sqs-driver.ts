import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvocationGate, InvocationKilled, InvocationTimeout } from './invocation-gate';
import type { SimulatedClock } from './sim-clock';
import type { SqsWire, WireMessage } from './sqs-wire';

/** An SQS-triggered Lambda handler, as the runtime exports it. */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/**
 * When each delayed message may be delivered, in simulated time. The SQS proxy records it
 * from `DelaySeconds` (and sends the message with no real delay), so a 30 s retry costs 30
 * simulated seconds, not 30 real ones.
 */
export class DelayBook {
  private readonly dueAt = new Map<string, number>();

  set(messageId: string, dueMs: number): void {
    this.dueAt.set(messageId, dueMs);
  }

  take(messageId: string): number | undefined {
    const due = this.dueAt.get(messageId);
    this.dueAt.delete(messageId);
    return due;
  }
}

export interface QueueDriverOptions {
  readonly name: string;
  readonly wire: SqsWire;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  readonly clock: SimulatedClock;
  readonly delays: DelayBook;
  /** Simulated seconds a failed record stays invisible before SQS hands it out again. */
  readonly visibilityTimeoutSeconds: number;
  readonly batchSize?: number;
  /** Concurrent invocations (Lambda's event-source mapping runs several pollers). */
  readonly concurrency?: number;
  /** Real milliseconds after which an invocation counts as timed out (the Lambda died). */
  readonly invocationTimeoutMs?: number;
  /** Stops timed-out invocations (shared with the handlers' clients); a private one by default. */
  readonly gate?: InvocationGate;
  readonly region?: string;
}

/** Delivery statistics of one queue. */
export interface QueueStats {
  invocations: number;
  recordsDelivered: number;
  recordsSucceeded: number;
  recordsFailed: number;
  invocationsTimedOut: number;
  /** Killed by a fault schedule after one of their outbound calls. */
  invocationsKilled: number;
  invocationsThrew: number;
}

interface Parked {
  readonly message: WireMessage;
  readonly dueMs: number;
  /** `deliver`: hand to the handler when due; `release`: make visible again (a failed record). */
  readonly kind: 'deliver' | 'release';
}

/**
 * Lambda's SQS event-source mapping, in simulated time: receives batches, invokes the handler
 * with a real SQS event, deletes only the records not reported in `batchItemFailures`, and lets
 * failed records become visible again after the visibility timeout (so SQS's receive count and
 * redrive to the DLQ after `maxReceiveCount` apply as in AWS).
 */
export class QueueDriver {
  readonly stats: QueueStats = {
    invocations: 0,
    recordsDelivered: 0,
    recordsSucceeded: 0,
    recordsFailed: 0,
    invocationsTimedOut: 0,
    invocationsKilled: 0,
    invocationsThrew: 0,
  };
  private readonly parked = new Map<string, Parked>();
  private readonly gate: InvocationGate;

  constructor(private readonly options: QueueDriverOptions) {
    this.gate = options.gate ?? new InvocationGate();
  }

  /** Messages held for a later simulated time. */
  pending(): number {
    return this.parked.size;
  }

  /** The earliest simulated time something parked becomes due, if anything is. */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.parked.values())
      if (next === undefined || entry.dueMs < next) next = entry.dueMs;
    return next;
  }

  /**
   * Delivers everything due now: parked messages whose time has come, then whatever the queue
   * holds, until it is empty. Returns how many records were handed to the handler.
   *
   * Each of the `concurrency` pollers loops on its own — receive a batch, invoke, delete — as
   * the pollers of Lambda's event-source mapping do: none waits for another's invocation, so
   * concurrent batches do not start in lock-step. Once one poller finds nothing, the others
   * stop after their current invocation (the simulated clock is stopped, so nothing new can
   * become due but what those invocations send); another round picks that up.
   */
  async pump(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const first = await this.nextBatch();
      if (first.length === 0) return delivered;
      const round = { drained: false };
      // A first receive short of a batch found the queue nearly empty: its other pollers would
      // only make empty receives (each an HTTP round trip to the emulator).
      const full = first.length >= (this.options.batchSize ?? 10);
      const concurrency = full ? (this.options.concurrency ?? 4) : 1;
      const pollers = Array.from({ length: concurrency }, (_, i) => this.poll(round, i === 0 ? first : []));
      delivered += (await Promise.all(pollers)).reduce((sum, n) => sum + n, 0);
    }
  }

  /** One poller: invokes the handler with a batch, then takes the next, until the queue is drained. */
  private async poll(round: { drained: boolean }, first: WireMessage[]): Promise<number> {
    let delivered = 0;
    let batch = first;
    for (;;) {
      if (batch.length === 0) {
        if (round.drained) return delivered;
        batch = await this.nextBatch();
        if (batch.length === 0) {
          round.drained = true;
          return delivered;
        }
      }
      delivered += batch.length;
      await this.invoke(batch);
      batch = [];
    }
  }

  /** Up to one batch: parked messages now due first, then one receive (delayed ones parked). */
  private async nextBatch(): Promise<WireMessage[]> {
    const { wire, queueUrl, clock, delays } = this.options;
    const size = this.options.batchSize ?? 10;
    const ready = await this.takeDue(size);
    while (ready.length === 0) {
      const received = await wire.receive(queueUrl, Math.min(10, size));
      if (received.length === 0) break;
      for (const message of received) {
        const dueMs = delays.take(message.MessageId);
        if (dueMs !== undefined && dueMs > clock.nowMs()) {
          this.parked.set(message.MessageId, { message, dueMs, kind: 'deliver' });
        } else {
          ready.push(message);
        }
      }
    }
    return ready;
  }

  /** Makes failed records due now visible again, and takes up to `limit` parked deliveries due now. */
  private async takeDue(limit: number): Promise<WireMessage[]> {
    const now = this.options.clock.nowMs();
    const ready: WireMessage[] = [];
    for (const [id, entry] of [...this.parked]) {
      // Another poller may have taken it while this one awaited a release.
      if (entry.dueMs > now || this.parked.get(id) !== entry) continue;
      if (entry.kind === 'deliver' && ready.length >= limit) continue;
      this.parked.delete(id);
      if (entry.kind === 'deliver') ready.push(entry.message);
      else await this.options.wire.makeVisible(this.options.queueUrl, entry.message.ReceiptHandle);
    }
    return ready;
  }

  private async invoke(batch: readonly WireMessage[]): Promise<void> {
    const { handler, wire, queueUrl, clock } = this.options;
    this.stats.invocations += 1;
    this.stats.recordsDelivered += batch.length;
    const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
    const failed = new Set<string>();
    try {
      const timeoutMs = this.options.invocationTimeoutMs ?? 30_000;
      const response = await this.gate.run(this.options.name, timeoutMs, () => handler(event));
      for (const item of response?.batchItemFailures ?? []) failed.add(item.itemIdentifier);
    } catch (error) {
      // A thrown handler or a stopped invocation fails the whole batch, as in Lambda.
      if (error instanceof InvocationKilled) this.stats.invocationsKilled += 1;
      else if (error instanceof InvocationTimeout) this.stats.invocationsTimedOut += 1;
      else this.stats.invocationsThrew += 1;
      for (const m of batch) failed.add(m.MessageId);
    }
    const succeeded = batch.filter((m) => !failed.has(m.MessageId));
    await wire.deleteBatch(
      queueUrl,
      succeeded.map((m) => m.ReceiptHandle),
    );
    this.stats.recordsSucceeded += succeeded.length;
    this.stats.recordsFailed += batch.length - succeeded.length;
    const releaseAt = clock.nowMs() + this.options.visibilityTimeoutSeconds * 1000;
    for (const m of batch) {
      if (failed.has(m.MessageId))
        this.parked.set(m.MessageId, { message: m, dueMs: releaseAt, kind: 'release' });
    }
  }

  private record(message: WireMessage): SQSRecord {
    const attributes = message.Attributes ?? {};
    const sent = attributes.SentTimestamp ?? String(this.options.clock.nowMs());
    return {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: sent,
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? sent,
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.region ?? 'us-east-1',
    };
  }
}
