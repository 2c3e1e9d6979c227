import type { IsoTime, JobId, RunnerId } from '../shared/brand';

/** Decision: one of the pool's `maxRunners` slots now belongs to this runner. */
export type RunnerSlotReserved = {
  readonly type: 'RunnerSlotReserved';
  readonly data: { readonly runnerId: RunnerId; readonly jobId: JobId | null; readonly at: IsoTime };
};
/** Fact: the runner ended (terminated, or its launch failed for good); its slot is free. */
export type RunnerSlotReleased = {
  readonly type: 'RunnerSlotReleased';
  readonly data: { readonly runnerId: RunnerId; readonly at: IsoTime };
};

export type PoolEvent = RunnerSlotReserved | RunnerSlotReleased;
