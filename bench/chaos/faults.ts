import type { Rng } from './rng';

/**
 * The fault families a schedule can switch on. Each has its own random stream, so a failing
 * schedule can be re-run with one family off to see which faults it needs (`classify.ts`).
 */
export const FAULT_FAMILIES = [
  /** GitHub delivers a webhook twice. */
  'webhook-duplicate',
  /** GitHub's delivery fails (the endpoint looked down); the reconciler may redeliver it. */
  'webhook-drop',
  /** Deliveries arrive late and out of order. */
  'webhook-reorder',
  /** SQS hands a message to two invocations (at-least-once). */
  'sqs-duplicate',
  /** An invocation dies right after its Nth outbound call (a crash between two steps). */
  'crash',
  /** Throttling and 5xx answers on AWS calls (event store, queues, secrets, compute). */
  'aws-errors',
  /** 5xx and rate limits on GitHub calls. */
  'github-errors',
  /** The call takes effect, the caller sees an error (a lost answer). */
  'lost-answer',
  /** No spot (or no capacity at all) for a while. */
  'capacity-outage',
  /** Spot machines reclaimed, with the two-minute warning. */
  'spot-interruption',
  /** The stream index (DynamoDB GSIs) serves heads a few seconds old. */
  'index-lag',
  /** GitHub reports a freshly assigned runner as idle (and deletable) for up to a minute. */
  'busy-lag',
  /** GitHub refuses to re-run some jobs (403). */
  'rerun-refused',
] as const;

export type FaultFamily = (typeof FAULT_FAMILIES)[number];

/** How often each fault strikes while it is on (per call, per delivery, per step). */
export const FAULT_RATES: Readonly<Record<FaultFamily, number>> = {
  'webhook-duplicate': 0.25,
  'webhook-drop': 0.1,
  'webhook-reorder': 0.3,
  'sqs-duplicate': 0.2,
  crash: 0.08,
  'aws-errors': 0.04,
  'github-errors': 0.06,
  'lost-answer': 0.03,
  'capacity-outage': 0.15,
  'spot-interruption': 0.05,
  'index-lag': 0.5,
  'busy-lag': 1,
  'rerun-refused': 0.5,
};

/** Which faults a schedule runs with, each with its own random stream. */
export class FaultPlan {
  private readonly streams = new Map<FaultFamily, Rng>();
  /** Faults actually injected, by family (a family on but never drawn proves nothing). */
  readonly injected: Partial<Record<FaultFamily, number>> = {};
  /** Off while the world settles: only the chaos window has faults. */
  active = true;

  constructor(
    readonly enabled: ReadonlySet<FaultFamily>,
    rng: Rng,
  ) {
    for (const family of FAULT_FAMILIES) this.streams.set(family, rng.fork(`fault:${family}`));
  }

  on(family: FaultFamily): boolean {
    return this.active && this.enabled.has(family);
  }

  /** Whether `family` strikes now (and counts it when it does). */
  strike(family: FaultFamily, rate = FAULT_RATES[family]): boolean {
    if (!this.on(family)) return false;
    const hit = (this.streams.get(family) as Rng).chance(rate);
    if (hit) this.injected[family] = (this.injected[family] ?? 0) + 1;
    return hit;
  }

  /** The family's own stream, for choices beyond "does it strike". */
  stream(family: FaultFamily): Rng {
    return this.streams.get(family) as Rng;
  }
}

/** Parses `a,b,c` (or `all`, or `none`) into families; unknown names are an error. */
export function parseFamilies(text: string): Set<FaultFamily> {
  if (text === 'all') return new Set(FAULT_FAMILIES);
  if (text === 'none' || text === '') return new Set();
  const names = text.split(',').map((name) => name.trim());
  for (const name of names)
    if (!(FAULT_FAMILIES as readonly string[]).includes(name))
      throw new Error(`unknown fault family ${name}; known: ${FAULT_FAMILIES.join(', ')}`);
  return new Set(names as FaultFamily[]);
}
