import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '@hangar/core';

/** The wall clock, for Lambda. Core never reads it; tests and the local control plane inject theirs. */
export const systemClock: Clock = { now: () => new Date().toISOString() };

/** Random ids for pool top-up runners (job runners' ids derive from the job). */
export const randomIds: IdGenerator = { next: () => randomUUID() };
