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
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime };
};

export type PoolCommand = ReserveRunnerSlot | ReserveRunnerSlots | ReleaseRunnerSlot;

export type PoolRejection = {
  readonly reason: 'max-runners-reached';
  readonly alive: number;
  readonly max: number;
};
