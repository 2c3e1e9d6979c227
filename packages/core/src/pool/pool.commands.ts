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
/** Fact: the runner no longer holds capacity. */
export type ReleaseRunnerSlot = {
  readonly type: 'ReleaseRunnerSlot';
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime };
};

export type PoolCommand = ReserveRunnerSlot | ReleaseRunnerSlot;

export type PoolRejection = {
  readonly reason: 'max-runners-reached';
  readonly alive: number;
  readonly max: number;
};
