import type { PoolEvent } from '../pool/pool.events';
import type { PoolState } from '../pool/pool.state';
import type { RunnerView } from '../scaling/views';
import { toMillis, type IsoTime, type PoolId, type RunnerId } from '../shared/brand';
import { eventTime, type Recorded, type RunnerHistory } from './histories';
import type { WaitingJob } from './waiting';
import type { WaitReasonCode } from './wait-reason-types';

/** Launch activity of a pool over a recent window (runners whose slot was reserved in it). */
export interface PoolActivity {
  readonly since: IsoTime;
  readonly requested: number;
  readonly launched: number;
  /** Failed launch attempts, retried or not. */
  readonly launchFailures: number;
  /** Runners whose launch failed for good. */
  readonly finalFailures: number;
}

/** A runner holding one of the pool's slots, with what it is doing (null when its head is not listed). */
export interface SlotHolder {
  readonly runnerId: RunnerId;
  readonly since: IsoTime;
  readonly runner: RunnerView | null;
}

export interface PoolReport {
  readonly poolId: PoolId;
  /** From the configuration when given, else from the latest "pool at max" recorded; null if neither. */
  readonly max: number | null;
  /** Runners holding a slot (the pool stream's count: what `maxRunners` is enforced on). */
  readonly alive: number;
  readonly runners: {
    readonly booting: number;
    readonly idle: number;
    readonly busy: number;
    readonly terminating: number;
  };
  readonly holders: readonly SlotHolder[];
  readonly waiting: {
    readonly total: number;
    readonly byReason: Readonly<Partial<Record<WaitReasonCode, number>>>;
    readonly oldestQueuedAt: IsoTime | null;
    readonly oldestWaitSeconds: number | null;
  };
  readonly activity: PoolActivity;
}

const BOOTING = new Set(['requested', 'launching', 'launched']);

/** Who holds the pool's slots and what each is doing. */
export function slotHolders(state: PoolState, open: readonly RunnerView[]): SlotHolder[] {
  const byId = new Map(open.map((runner) => [runner.runnerId as string, runner]));
  return Object.entries(state.slots)
    .map(([runnerId, slot]) => ({
      runnerId: runnerId as RunnerId,
      since: slot.at,
      runner: byId.get(runnerId) ?? null,
    }))
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** One pool's numbers: capacity, the fleet by status, the jobs waiting on it, recent launches. */
export function poolReport(input: {
  readonly poolId: PoolId;
  readonly max: number | null;
  readonly state: PoolState;
  readonly open: readonly RunnerView[];
  readonly waiting: readonly WaitingJob[];
  readonly activity: PoolActivity;
  readonly now: IsoTime;
}): PoolReport {
  const count = (test: (runner: RunnerView) => boolean) => input.open.filter(test).length;
  const byReason: Partial<Record<WaitReasonCode, number>> = {};
  for (const job of input.waiting) byReason[job.reason.code] = (byReason[job.reason.code] ?? 0) + 1;
  const oldest = [...input.waiting].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))[0];
  const atMax = input.waiting.map((job) => job.reason).find((reason) => reason.code === 'pool-at-max');
  return {
    poolId: input.poolId,
    max: input.max ?? (atMax?.code === 'pool-at-max' ? atMax.max : null),
    alive: Object.keys(input.state.slots).length,
    runners: {
      booting: count((runner) => BOOTING.has(runner.status)),
      idle: count((runner) => runner.status === 'idle'),
      busy: count((runner) => runner.status === 'busy'),
      terminating: count((runner) => runner.status === 'terminating'),
    },
    holders: slotHolders(input.state, input.open),
    waiting: {
      total: input.waiting.length,
      byReason,
      oldestQueuedAt: oldest?.queuedAt ?? null,
      oldestWaitSeconds: oldest
        ? Math.max(0, (toMillis(input.now) - toMillis(oldest.queuedAt)) / 1000)
        : null,
    },
    activity: input.activity,
  };
}

/**
 * Counts the launches of the runners whose slot was reserved since `since`, from their heads:
 * a runner's launch and its failed attempts all come after its reservation, so they fall in
 * the window, and the head carries the launch time, the failure count and the status (a final
 * failure ends in `launch_failed`). Heads written before the failure count existed come with
 * their streams (`older`), counted event by event.
 */
export function poolActivity(input: {
  readonly since: IsoTime;
  readonly recent: readonly Recorded<PoolEvent>[];
  readonly heads: readonly RunnerView[];
  readonly older: readonly RunnerHistory[];
}): PoolActivity {
  const from = toMillis(input.since);
  const inWindow = (at: IsoTime | null) => at !== null && toMillis(at) >= from;
  const reserved = input.recent.filter(
    (event) => event.type === 'RunnerSlotReserved' && inWindow(eventTime(event)),
  );
  let launched = 0;
  let launchFailures = 0;
  let finalFailures = 0;
  for (const head of input.heads) {
    if (head.launchFailures === undefined) continue;
    if (inWindow(head.launchedAt)) launched += 1;
    launchFailures += head.launchFailures;
    if (head.status === 'launch_failed') finalFailures += 1;
  }
  for (const runner of input.older) {
    for (const event of runner.events) {
      if (event.type === 'RunnerLaunched' && inWindow(event.data.launchedAt)) launched += 1;
      if (event.type === 'RunnerLaunchFailed' && inWindow(event.data.at)) {
        launchFailures += 1;
        if (event.data.final) finalFailures += 1;
      }
    }
  }
  return { since: input.since, requested: reserved.length, launched, launchFailures, finalFailures };
}
