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

/**
 * Fact: a job found the pool at its maximum and waits for a slot: it is sent to scale-up again
 * when one is released (`WaitingJobWoken`) instead of polling. What the job's scale-up message
 * said is kept, so the wake-up message is the same request.
 */
export type JobWaitingForSlot = {
  readonly type: 'JobWaitingForSlot';
  readonly data: {
    readonly jobId: JobId;
    readonly attempt: number;
    readonly reason: 'queued' | 'reconcile' | 'interrupted';
    readonly maxAttempts?: number;
    readonly at: IsoTime;
  };
};
/**
 * Decision: a released slot wakes this waiting job (oldest first, one per released slot); it
 * leaves the waiting list and its scale-up message is sent again. Not a reservation: a job
 * arriving meanwhile may take the slot, and the woken job then waits again.
 */
export type WaitingJobWoken = {
  readonly type: 'WaitingJobWoken';
  readonly data: {
    readonly jobId: JobId;
    readonly attempt: number;
    readonly reason: 'queued' | 'reconcile' | 'interrupted';
    readonly maxAttempts?: number;
    readonly at: IsoTime;
  };
};

export type PoolEvent = RunnerSlotReserved | RunnerSlotReleased | JobWaitingForSlot | WaitingJobWoken;
