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
}

export const initialPoolState: PoolState = { slots: {}, alive: 0, reservedTotal: 0, releasedTotal: 0 };
