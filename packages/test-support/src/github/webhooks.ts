import { randomUUID } from 'node:crypto';
export type { DeliveryEffect, DeliveryOverride, DeliveryRule } from './delivery-rules';
import type { FakeGitHubState } from './state';
import { DeliveryRules, type DeliveryOverride, type DeliveryRule } from './delivery-rules';
import type { DeliveryRecord } from './types';
import { deliveryHeaders, postWebhook, type SendResult } from './webhook-sender';

/** A delivery parked by a `hold` rule. */
export interface HeldDelivery {
  readonly guid: string;
  readonly appId: number;
  readonly event: string;
  readonly action: string | null;
  readonly jobId: number | null;
}

/** An event about to be delivered to one App. */
export interface Outgoing {
  readonly appId: number;
  readonly installationId: number;
  readonly repositoryId: number | null;
  readonly event: string;
  readonly action: string | null;
  readonly jobId: number | null;
  readonly payload: unknown;
  readonly guid: string;
  readonly redelivery: boolean;
}

const MAX_SETTLE_ROUNDS = 10_000;

/**
 * Sends webhooks one at a time in emission order (so tests see GitHub's usual order unless a
 * rule says otherwise), records every attempt as a delivery, and applies delivery rules.
 */
export class WebhookDispatcher {
  private readonly rules = new DeliveryRules();
  private readonly queue: Outgoing[] = [];
  private held: Outgoing[] = [];
  private pumping: Promise<void> | null = null;
  private readonly delayed = new Map<NodeJS.Timeout, Promise<void>>();
  private closed = false;

  constructor(
    private readonly state: FakeGitHubState,
    private readonly isoNow: () => string,
    private readonly timeoutMs: number,
    private readonly onDelivery: (delivery: DeliveryRecord) => void,
  ) {}

  addRule(rule: DeliveryRule): number {
    return this.rules.add(rule);
  }

  removeRule(id: number): void {
    this.rules.remove(id);
  }

  clearRules(): void {
    this.rules.clear();
  }

  /** Emits a new event (fresh GUID) to an App, unless the App has no webhook configured. */
  emit(event: Omit<Outgoing, 'guid' | 'redelivery'>, override?: DeliveryOverride): void {
    if (this.closed || !this.state.apps.get(event.appId)?.webhook) return;
    const outgoing: Outgoing = { ...event, guid: randomUUID(), redelivery: false };
    const effect = override ?? this.rules.take(outgoing);
    if (!effect) return this.enqueue(outgoing);
    switch (effect.effect) {
      case 'drop':
        return this.record(outgoing, {
          statusCode: 0,
          ok: false,
          status: 'failed to connect to host',
          durationMs: 0,
          headers: {},
          body: '',
        });
      case 'duplicate':
        this.enqueue(outgoing);
        return this.enqueue(outgoing);
      case 'hold':
        this.held.push(outgoing);
        return;
      case 'delay':
        return this.later(outgoing, effect.delayMs ?? 0);
    }
  }

  /** Re-sends a recorded delivery with the same GUID and `redelivery: true`; rules don't apply. */
  redeliver(delivery: DeliveryRecord): void {
    this.enqueue({
      appId: delivery.appId,
      installationId: delivery.installationId,
      repositoryId: delivery.repositoryId,
      event: delivery.event,
      action: delivery.action,
      jobId: null,
      payload: delivery.request.payload,
      guid: delivery.guid,
      redelivery: true,
    });
  }

  heldDeliveries(): HeldDelivery[] {
    return this.held.map(({ guid, appId, event, action, jobId }) => ({ guid, appId, event, action, jobId }));
  }

  /** Sends held deliveries in the given GUID order (all, oldest first, when omitted). */
  release(guids?: readonly string[]): void {
    const order = guids ?? this.held.map((h) => h.guid);
    for (const guid of order) {
      const index = this.held.findIndex((h) => h.guid === guid);
      const found = this.held[index];
      if (!found) throw new Error(`No held delivery ${guid}`);
      this.held.splice(index, 1);
      this.enqueue(found);
    }
  }

  /** Resolves once the queue is empty and delayed deliveries have been sent. Held ones stay held. */
  async settle(): Promise<void> {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      if (!this.pumping && this.delayed.size === 0) return;
      await Promise.all([this.pumping, ...this.delayed.values()]);
    }
    throw new Error('Webhook deliveries did not settle');
  }

  /** Stops sending: pending timers are cancelled and queued deliveries discarded. */
  close(): void {
    this.closed = true;
    for (const timer of this.delayed.keys()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.held = [];
  }

  private enqueue(o: Outgoing): void {
    if (this.closed) return;
    this.queue.push(o);
    this.kick();
  }

  /** Starts the pump unless it runs; it restarts itself if something arrived as it finished. */
  private kick(): void {
    if (this.pumping || this.closed || this.queue.length === 0) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      this.kick();
    });
  }

  private async pump(): Promise<void> {
    for (let o = this.queue.shift(); o && !this.closed; o = this.queue.shift()) await this.send(o);
  }

  private later(o: Outgoing, delayMs: number): void {
    let release: () => void = () => undefined;
    const sent = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => {
      void this.send(o).finally(() => {
        this.delayed.delete(timer);
        release();
      });
    }, delayMs);
    this.delayed.set(timer, sent);
  }

  private async send(o: Outgoing): Promise<void> {
    const hook = this.state.apps.get(o.appId)?.webhook;
    if (!hook) return;
    const body = JSON.stringify(o.payload);
    const result = await postWebhook(hook.url, deliveryHeaders(o, hook.secret, body), body, this.timeoutMs);
    if (!this.closed) this.record(o, result);
  }

  private record(o: Outgoing, r: SendResult): void {
    const hook = this.state.apps.get(o.appId)?.webhook;
    const delivery: DeliveryRecord = {
      id: this.state.id('delivery'),
      guid: o.guid,
      appId: o.appId,
      installationId: o.installationId,
      repositoryId: o.repositoryId,
      event: o.event,
      action: o.action,
      redelivery: o.redelivery,
      deliveredAt: this.isoNow(),
      duration: r.durationMs / 1000,
      status: r.status,
      statusCode: r.statusCode,
      ok: r.ok,
      url: hook?.url ?? '',
      request: {
        headers: hook ? deliveryHeaders(o, hook.secret, JSON.stringify(o.payload)) : {},
        payload: o.payload,
      },
      response: { headers: r.headers, payload: r.body },
    };
    this.state.deliveries.push(delivery);
    this.onDelivery(delivery);
  }
}
