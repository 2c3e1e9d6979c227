import { describe, it, expect } from '@jest/globals';
import { JobId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import { deciderSpec } from '../testing/decider-spec';
import type { PoolCommand } from './pool.commands';
import { poolDecider } from './pool.decider';
import type { PoolEvent } from './pool.events';

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T10:05:00.000Z';
const r1 = RunnerId('r-1');
const r2 = RunnerId('r-2');
const r3 = RunnerId('r-3');
const job = JobId(9);

const reserved = (runnerId: RunnerId, jobId: JobId | null = null): PoolEvent => ({
  type: 'RunnerSlotReserved',
  data: { runnerId, jobId, at: T0 },
});
const released = (runnerId: RunnerId): PoolEvent => ({
  type: 'RunnerSlotReleased',
  data: { runnerId, at: T1 },
});
const reserve = (runnerId: RunnerId, maxRunners: number, jobId: JobId | null = null): PoolCommand => ({
  type: 'ReserveRunnerSlot',
  data: { runnerId, jobId, maxRunners, at: T0 },
});
const release = (runnerId: RunnerId): PoolCommand => ({
  type: 'ReleaseRunnerSlot',
  data: { runnerId, at: T1 },
});

const spec = deciderSpec(poolDecider);

describe('pool decider', () => {
  describe('ReserveRunnerSlot', () => {
    it('an empty pool reserves a slot for the runner and its job', () => {
      spec
        .given([])
        .when(reserve(r1, 2, job))
        .then([reserved(r1, job)])
        .thenState({ alive: 1, reservedTotal: 1, slots: { [r1]: { jobId: job, at: T0 } } });
    });
    it('the pool reserves below max runners', () => {
      spec
        .given([reserved(r1)])
        .when(reserve(r2, 2))
        .then([reserved(r2)])
        .thenState({ alive: 2 });
    });
    it('the pool rejects a reservation at max runners', () => {
      spec
        .given([reserved(r1), reserved(r2)])
        .when(reserve(r3, 2))
        .thenRejects({ reason: 'max-runners-reached', alive: 2, max: 2 })
        .thenState({ alive: 2 });
    });
    it('the pool rejects every reservation when max runners is 0', () => {
      spec.given([]).when(reserve(r1, 0)).thenRejects({ reason: 'max-runners-reached', alive: 0, max: 0 });
    });
    it('-1 max means unlimited', () => {
      const many = Array.from({ length: 500 }, (_, i) => reserved(RunnerId(`r-${i}`)));
      spec
        .given(many)
        .when(reserve(RunnerId('r-new'), -1))
        .then([reserved(RunnerId('r-new'))])
        .thenState({
          alive: 501,
        });
    });
    it('reserving twice for the same runner reserves once, even at max runners', () => {
      spec
        .given([reserved(r1), reserved(r2)])
        .when(reserve(r1, 2))
        .thenNothing()
        .thenState({ alive: 2 });
    });
    it('a pool whose max was lowered below its alive runners rejects new reservations', () => {
      spec
        .given([reserved(r1), reserved(r2)])
        .when(reserve(r3, 1))
        .thenRejects({ reason: 'max-runners-reached', alive: 2, max: 1 });
    });
    it('a released slot can be reserved by another runner', () => {
      spec
        .given([reserved(r1), reserved(r2), released(r1)])
        .when(reserve(r3, 2))
        .then([reserved(r3)])
        .thenState({
          alive: 2,
          reservedTotal: 3,
          releasedTotal: 1,
        });
    });
  });

  describe('ReleaseRunnerSlot', () => {
    it('releasing a runner that holds a slot frees it', () => {
      spec
        .given([reserved(r1), reserved(r2)])
        .when(release(r1))
        .then([released(r1)])
        .thenState({
          alive: 1,
          releasedTotal: 1,
          slots: { [r2]: { jobId: null } },
        });
    });
    it('releasing an unknown runner records nothing', () => {
      spec
        .given([reserved(r1)])
        .when(release(r2))
        .thenNothing()
        .thenState({ alive: 1 });
    });
    it('a repeated release records nothing', () => {
      spec
        .given([reserved(r1), released(r1)])
        .when(release(r1))
        .thenNothing()
        .thenState({ alive: 0 });
    });
  });

  describe('evolve', () => {
    it('a duplicate reservation event does not count twice', () => {
      expect(fold(poolDecider, [reserved(r1), reserved(r1)]).alive).toBe(1);
    });
    it('a release of a runner without a slot does not go below zero', () => {
      expect(fold(poolDecider, [released(r1), reserved(r2), released(r2), released(r2)]).alive).toBe(0);
    });
  });

  it('a pool stream is never terminal', () => {
    expect(poolDecider.isTerminal(fold(poolDecider, [reserved(r1), released(r1)]))).toBe(false);
  });
});
