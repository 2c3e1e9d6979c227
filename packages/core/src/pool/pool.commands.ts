import type { IsoTime, JobId, RunnerId } from '../shared/brand';

/** Intention: take a slot for this runner, if the pool is below its maximum. */
export type ReserveRunnerSlot = {
  readonly type: 'ReserveRunnerSlot';
  readonly data: {
    readonly runnerId: RunnerId;
    readonly jobId: JobId | null;
    readonly maxRunners: number;
    readonly at: IsoTime;
  };
};
/**
 * Intention: take slots for several runners in one append (one scale-up batch), in order,
 * while the pool is below its maximum. Runners that already hold a slot keep it; those past
 * the maximum get none (the caller sees which in the resulting state). Records the same
 * `RunnerSlotReserved` events as one `ReserveRunnerSlot` per runner would.
 */
export type ReserveRunnerSlots = {
  readonly type: 'ReserveRunnerSlots';
  readonly data: {
    readonly requests: readonly { readonly runnerId: RunnerId; readonly jobId: JobId | null }[];
    readonly maxRunners: number;
    readonly at: IsoTime;
  };
};
/** Fact: the runner no longer holds capacity. */
export type ReleaseRunnerSlot = {
  readonly type: 'ReleaseRunnerSlot';
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime; readonly maxRunners?: number };
};

/** Fact: these runners no longer hold capacity (a scale-down cycle's retirements, in one append). */
export type ReleaseRunnerSlots = {
  readonly type: 'ReleaseRunnerSlots';
  readonly data: {
    readonly runnerIds: readonly RunnerId[];
    readonly at: IsoTime;
    /**
     * The pool's maximum: each woken job also gets a freed slot reserved for its next runner
     * while the pool stays within it (`handOver`, pool.waiting.ts). Without it jobs are only woken.
     */
    readonly maxRunners?: number;
  };
};
/**
 * Intention: wait on the pool's list for a slot (the job's reservation was just refused).
 * Refused when a slot is free by now (reserve again) or the list holds `maxWaiting` jobs (the
 * job then retries on a delay, as before the list existed).
 */
export type WaitForSlot = {
  readonly type: 'WaitForSlot';
  readonly data: {
    readonly jobId: JobId;
    readonly attempt: number;
    readonly reason: 'queued' | 'reconcile' | 'interrupted';
    readonly maxAttempts?: number;
    readonly maxRunners: number;
    readonly maxWaiting: number;
    readonly at: IsoTime;
  };
};

/**
 * Intention: a woken job turned out not to need its slot (it started on another runner, or was
 * cancelled): pass the wake-up on to the oldest waiting job, if a slot is still free.
 */
export type PassWakeUp = {
  readonly type: 'PassWakeUp';
  readonly data: { readonly maxRunners: number; readonly at: IsoTime };
};

export type PoolCommand =
  ReserveRunnerSlot | ReserveRunnerSlots | ReleaseRunnerSlot | ReleaseRunnerSlots | WaitForSlot | PassWakeUp;

export type PoolRejection =
  | { readonly reason: 'max-runners-reached'; readonly alive: number; readonly max: number }
  | { readonly reason: 'slot-free'; readonly alive: number; readonly max: number }
  | { readonly reason: 'waiting-list-full'; readonly waiting: number };
