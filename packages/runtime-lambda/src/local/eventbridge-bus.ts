import type { InstanceEventBridgeEvent } from './eventbridge';
import { InvocationGate } from './invocation-gate';

export interface InstanceEventStats {
  delivered: number;
  failed: number;
}

/**
 * The EventBridge rules that send EC2/ECS state changes to the instance-events handler. Events
 * queue up as the emulators change state and are delivered in order; a failed asynchronous
 * invocation is retried twice, as Lambda does for EventBridge targets, then dropped and counted.
 */
export class EventBridgeBus {
  readonly stats: InstanceEventStats = { delivered: 0, failed: 0 };
  private readonly pending: { event: InstanceEventBridgeEvent; attempts: number }[] = [];

  constructor(
    private readonly handler: (event: InstanceEventBridgeEvent) => Promise<unknown>,
    /** Stops an invocation at its Lambda timeout (real ms); a stopped one counts as failed. */
    private readonly invocations: { readonly gate: InvocationGate; readonly timeoutMs: number } = {
      gate: new InvocationGate(),
      timeoutMs: 60_000,
    },
  ) {}

  publish(event: InstanceEventBridgeEvent): void {
    this.pending.push({ event, attempts: 0 });
  }

  /** Delivers everything pending, including events raised while delivering; returns how many. */
  async deliver(): Promise<number> {
    let delivered = 0;
    while (this.pending.length > 0) {
      for (const entry of this.pending.splice(0)) {
        delivered += 1;
        try {
          const { gate, timeoutMs } = this.invocations;
          await gate.run('instance-events', timeoutMs, () => this.handler(entry.event));
          this.stats.delivered += 1;
        } catch {
          if (entry.attempts < 2) this.pending.push({ ...entry, attempts: entry.attempts + 1 });
          else this.stats.failed += 1;
        }
      }
    }
    return delivered;
  }
}
