import type { IsoTime, JobId } from '../shared/brand';

/**
 * The capacity of one pool: which runners hold a slot. Bounded by `maxRunners`, so the
 * state (and its snapshot) stays small however long the stream grows.
 */
export interface PoolState {
  readonly slots: Readonly<Record<string, { readonly jobId: JobId | null; readonly at: IsoTime }>>;
  readonly alive: number;
  readonly reservedTotal: number;
  readonly releasedTotal: number;
  /**
   * Jobs waiting for a slot, by job id (absent in snapshots taken before the list existed).
   * Bounded by the `maxWaiting` of `WaitForSlot`, so the snapshot stays small.
   */
  readonly waiting?: Readonly<Record<string, PoolWaitingJob>>;
}

/** A job on the pool's waiting list: what its scale-up message said, and since when it waits. */
export interface PoolWaitingJob {
  readonly attempt: number;
  readonly reason: 'queued' | 'reconcile' | 'interrupted';
  readonly maxAttempts?: number;
  readonly since: IsoTime;
}

export const initialPoolState: PoolState = { slots: {}, alive: 0, reservedTotal: 0, releasedTotal: 0 };
