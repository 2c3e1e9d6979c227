import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { InvocationGate } from './invocation-gate';

export type ScheduledHandler = (event: ScheduledEvent) => Promise<unknown>;

export interface Schedule {
  readonly name: string;
  /** EventBridge rate, in simulated seconds. */
  readonly everySeconds: number;
  readonly handler: ScheduledHandler;
}

export interface ScheduleStats {
  readonly name: string;
  runs: number;
  failures: number;
  lastError: string | null;
}

/** The EventBridge "Scheduled Event" a rate rule sends. */
export function scheduledEvent(rule: string, at: Date, region: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/${rule}`],
    detail: {},
  };
}

/**
 * EventBridge rate rules on the simulated clock. Each schedule fires at most once per call of
 * `runDue` even if several periods passed (EventBridge does not catch up missed invocations
 * either), and the first run happens at the first `runDue`.
 */
export class ScheduleDriver {
  private readonly next = new Map<string, number>();
  readonly stats = new Map<string, ScheduleStats>();

  constructor(
    private readonly schedules: readonly Schedule[],
    private readonly now: () => Date,
    private readonly region: string,
    /** Stops a run at its Lambda timeout (real ms); its later calls are refused. */
    private readonly invocations: { readonly gate: InvocationGate; readonly timeoutMs: number } = {
      gate: new InvocationGate(),
      timeoutMs: 300_000,
    },
  ) {
    for (const schedule of schedules) {
      if (!(schedule.everySeconds > 0)) throw new RangeError(`schedule ${schedule.name}: rate must be > 0 s`);
      this.stats.set(schedule.name, { name: schedule.name, runs: 0, failures: 0, lastError: null });
    }
  }

  /** Runs every schedule that is due; returns how many ran. */
  async runDue(): Promise<number> {
    const at = this.now();
    let ran = 0;
    for (const schedule of this.schedules) {
      const due = this.next.get(schedule.name) ?? at.getTime();
      if (due > at.getTime()) continue;
      this.next.set(schedule.name, at.getTime() + schedule.everySeconds * 1000);
      await this.fire(schedule, at);
      ran += 1;
    }
    return ran;
  }

  /** Runs one schedule now, whatever its timer says (an operator's manual invoke). */
  async runNow(name: string): Promise<void> {
    const schedule = this.schedules.find((s) => s.name === name);
    if (!schedule) throw new Error(`no schedule named ${name}`);
    await this.fire(schedule, this.now());
  }

  private async fire(schedule: Schedule, at: Date): Promise<void> {
    const stats = this.stats.get(schedule.name) as ScheduleStats;
    stats.runs += 1;
    try {
      const event = scheduledEvent(`hangar-${schedule.name}`, at, this.region);
      const { gate, timeoutMs } = this.invocations;
      await gate.run(schedule.name, timeoutMs, () => schedule.handler(event));
    } catch (error) {
      // A failed scheduled run is retried by the next period, as with EventBridge + Lambda.
      stats.failures += 1;
      stats.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
}
