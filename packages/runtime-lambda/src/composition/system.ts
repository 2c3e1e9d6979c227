import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '@hangar/core';

/** The wall clock, for Lambda. Core never reads it; tests and the local control plane inject theirs. */
export const systemClock: Clock = { now: () => new Date().toISOString() };

/**
 * Random ids for pool top-up runners (job runners' ids derive from the job), and 128-bit
 * names from the OS CSPRNG for runner secrets, which another runner must not guess.
 */
export const randomIds: IdGenerator = {
  next: () => randomUUID(),
  unguessable: () => randomBytes(16).toString('hex'),
};
