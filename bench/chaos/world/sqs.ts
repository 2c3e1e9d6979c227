import type { MessageQueue } from '@hangar/core';
import type { FaultPlan } from '../faults';
import type { Rng } from '../rng';

export interface SimMessage {
  readonly id: string;
  readonly body: string;
  visibleAt: number;
  receiveCount: number;
  /** Why each failed receive failed: an injected fault, or something else (a bug). */
  readonly failures: string[];
  /** Copies handed out at once (SQS's at-least-once), not yet settled. */
  inFlight: number;
}

/**
 * A standard SQS queue with Lambda's event-source mapping semantics: delays, visibility
 * timeout, receive counts, redrive to a dead-letter queue after `maxReceiveCount`, random
 * order, and (when the fault is on) the same message handed to two invocations.
 */
export class SimQueue<M> implements MessageQueue<M> {
  readonly messages = new Map<string, SimMessage>();
  readonly deadLetters: SimMessage[] = [];
  private next = 0;

  constructor(
    readonly name: string,
    private readonly now: () => number,
    private readonly rng: Rng,
    private readonly plan: FaultPlan,
    private readonly visibilitySeconds: number,
    private readonly maxReceiveCount = 5,
  ) {}

  async send(
    messages: readonly { readonly body: M }[],
    options?: { readonly delaySeconds?: number },
  ): Promise<void> {
    for (const message of messages) {
      this.next += 1;
      const id = `${this.name}-${this.next}`;
      const delay = (options?.delaySeconds ?? 0) * 1000;
      this.messages.set(id, {
        id,
        body: JSON.stringify(message.body),
        visibleAt: this.now() + delay,
        receiveCount: 0,
        failures: [],
        inFlight: 0,
      });
    }
  }

  /** Visible messages, in random order, each made invisible; some handed out twice. */
  receive(max: number): SimMessage[] {
    const now = this.now();
    const visible = [...this.messages.values()].filter((m) => m.visibleAt <= now);
    for (let i = visible.length - 1; i > 0; i -= 1) {
      const j = this.rng.int(0, i);
      [visible[i], visible[j]] = [visible[j] as SimMessage, visible[i] as SimMessage];
    }
    const out: SimMessage[] = [];
    for (const message of visible.slice(0, max)) {
      if (message.receiveCount >= this.maxReceiveCount) {
        // SQS moves it to the DLQ on the receive after maxReceiveCount.
        this.messages.delete(message.id);
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.visibilitySeconds * 1000;
      message.inFlight += 1;
      out.push(message);
      if (this.plan.strike('sqs-duplicate')) {
        message.inFlight += 1;
        out.push(message);
      }
    }
    return out;
  }

  /** The handler succeeded for it: deleted (a late duplicate's delete is a no-op). */
  settle(message: SimMessage, ok: boolean, why: string): void {
    message.inFlight -= 1;
    if (ok) this.messages.delete(message.id);
    else message.failures.push(why);
  }

  pending(): number {
    return this.messages.size;
  }

  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }
}
