import type { WorkflowJobAction } from './types';

/**
 * What happens to a matching delivery: `drop` records a failed delivery without sending (the
 * endpoint was down), `duplicate` sends it twice with the same GUID, `hold` parks it until
 * `release()`, `delay` sends it `delayMs` later, outside the ordered queue (so it overtakes
 * nothing but is overtaken by later events).
 */
export type DeliveryEffect = 'drop' | 'duplicate' | 'hold' | 'delay';

/** A delivery-control rule; unset match fields match anything. */
export interface DeliveryRule {
  readonly effect: DeliveryEffect;
  readonly action?: WorkflowJobAction;
  readonly jobId?: number;
  readonly appId?: number;
  readonly delayMs?: number;
  /** How many deliveries the rule applies to; unlimited when absent. */
  readonly times?: number;
}

/** A per-event override (e.g. `queueJob({ webhook: { effect: 'drop' } })`). */
export type DeliveryOverride = Pick<DeliveryRule, 'effect' | 'delayMs'>;

/** The event attributes rules match on. */
export interface RuleSubject {
  readonly action: string | null;
  readonly jobId: number | null;
  readonly appId: number;
}

/** Ordered delivery rules; the first active match applies and uses up one of its `times`. */
export class DeliveryRules {
  private rules: Array<{ id: number; rule: DeliveryRule; remaining: number }> = [];
  private nextId = 1;

  add(rule: DeliveryRule): number {
    const id = this.nextId++;
    this.rules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  take(subject: RuleSubject): DeliveryRule | undefined {
    const found = this.rules.find(
      ({ rule, remaining }) =>
        remaining > 0 &&
        (rule.action === undefined || rule.action === subject.action) &&
        (rule.jobId === undefined || rule.jobId === subject.jobId) &&
        (rule.appId === undefined || rule.appId === subject.appId),
    );
    if (found) found.remaining -= 1;
    return found?.rule;
  }
}
