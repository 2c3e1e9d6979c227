import { describe, it, expect } from '@jest/globals';
import { JobId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import { deciderSpec } from '../testing/decider-spec';
import type { PoolCommand } from './pool.commands';
import { poolDecider } from './pool.decider';
import { runnerIdForJob } from '../runner/runner.decider';
import type { PoolEvent } from './pool.events';

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T10:01:00.000Z';
const T2 = '2026-01-01T10:02:00.000Z';
const r1 = RunnerId('r-1');
const r2 = RunnerId('r-2');
const jobA = JobId(1);
const jobB = JobId(2);

const reserved = (runnerId: RunnerId, jobId: JobId | null = null): PoolEvent => ({
  type: 'RunnerSlotReserved',
  data: { runnerId, jobId, at: T0 },
});
const released = (runnerId: RunnerId, at = T2): PoolEvent => ({
  type: 'RunnerSlotReleased',
  data: { runnerId, at },
});
const waiting = (jobId: JobId, at = T1, attempt = 1): PoolEvent => ({
  type: 'JobWaitingForSlot',
  data: { jobId, attempt, reason: 'queued', at },
});
const woken = (jobId: JobId, at = T2, attempt = 1): PoolEvent => ({
  type: 'WaitingJobWoken',
  data: { jobId, attempt, reason: 'queued', at },
});
const wait = (jobId: JobId, maxRunners = 1, maxWaiting = 10, attempt = 1): PoolCommand => ({
  type: 'WaitForSlot',
  data: { jobId, attempt, reason: 'queued', maxRunners, maxWaiting, at: T1 },
});
const release = (runnerId: RunnerId): PoolCommand => ({
  type: 'ReleaseRunnerSlot',
  data: { runnerId, at: T2 },
});
const releaseAll = (...runnerIds: RunnerId[]): PoolCommand => ({
  type: 'ReleaseRunnerSlots',
  data: { runnerIds, at: T2 },
});

/** The slot handed to a woken job: reserved for the runner its woken message requests. */
const handed = (jobId: JobId, at = T2, attempt = 1): PoolEvent => ({
  type: 'RunnerSlotReserved',
  data: { runnerId: runnerIdForJob(jobId, attempt), jobId, at },
});
const releaseWithin = (maxRunners: number, ...runnerIds: RunnerId[]): PoolCommand => ({
  type: 'ReleaseRunnerSlots',
  data: { runnerIds, at: T2, maxRunners },
});

const spec = deciderSpec(poolDecider);

describe('pool waiting list', () => {
  describe('WaitForSlot', () => {
    it('a job that found the pool full waits on its list', () => {
      spec
        .given([reserved(r1)])
        .when(wait(jobA))
        .then([waiting(jobA)])
        .thenState({ waiting: { [jobA]: { attempt: 1, reason: 'queued', since: T1 } } });
    });
    it('is refused when a slot is free by now: the job reserves again instead', () => {
      spec
        .given([reserved(r1), released(r1)])
        .when(wait(jobA))
        .thenRejects({ reason: 'slot-free', alive: 0, max: 1 });
    });
    it('is refused for an unlimited pool', () => {
      spec
        .given([reserved(r1)])
        .when(wait(jobA, -1))
        .thenRejects({ reason: 'slot-free', alive: 1, max: -1 });
    });
    it('a job already waiting records nothing', () => {
      spec
        .given([reserved(r1), waiting(jobA)])
        .when(wait(jobA))
        .thenNothing();
    });
    it('a later attempt of a waiting job replaces its entry and keeps its place', () => {
      spec
        .given([reserved(r1), waiting(jobA)])
        .when(wait(jobA, 1, 10, 2))
        .then([{ type: 'JobWaitingForSlot', data: { jobId: jobA, attempt: 2, reason: 'queued', at: T1 } }])
        .thenState({ waiting: { [jobA]: { attempt: 2, since: T1 } } });
    });
    it('is refused when the list is full: the job retries on a delay', () => {
      spec
        .given([reserved(r1), waiting(jobA)])
        .when(wait(jobB, 1, 1))
        .thenRejects({ reason: 'waiting-list-full', waiting: 1 });
    });
  });

  describe('releases wake waiting jobs', () => {
    it('a released slot wakes the oldest waiting job', () => {
      spec
        .given([reserved(r1), waiting(jobB, T0), waiting(jobA, T1)])
        .when(release(r1))
        .then([released(r1), woken(jobB)])
        .thenState({ alive: 0, waiting: { [jobA]: { attempt: 1 } } });
    });
    it('a release with nobody waiting only frees the slot', () => {
      spec
        .given([reserved(r1)])
        .when(release(r1))
        .then([released(r1)]);
    });
    it('a release of a slot not held wakes nobody', () => {
      spec
        .given([reserved(r1), waiting(jobA)])
        .when(release(r2))
        .thenNothing();
    });
    it('a batch release frees each held slot once and wakes one job per slot freed', () => {
      spec
        .given([reserved(r1), reserved(r2), waiting(jobA, T0), waiting(jobB, T1)])
        .when(releaseAll(r1, r2, r2, RunnerId('r-unknown')))
        .then([released(r1), released(r2), woken(jobA), woken(jobB)])
        .thenState({ alive: 0, waiting: {} });
    });
    it('a release within the maximum hands each freed slot to the oldest waiting job, for its next runner', () => {
      spec
        .given([reserved(r1), reserved(r2), waiting(jobB, T0), waiting(jobA, T1, 2)])
        .when(releaseWithin(2, r1))
        .then([released(r1), woken(jobB), handed(jobB)])
        .thenState({ alive: 2, waiting: { [jobA]: { attempt: 2 } } });
    });
    it('a freed slot is handed only while the pool stays within its maximum (lowered meanwhile)', () => {
      spec
        .given([reserved(r1), reserved(r2), waiting(jobA, T0), waiting(jobB, T1)])
        .when(releaseWithin(1, r1, r2))
        .then([released(r1), released(r2), woken(jobA), handed(jobA), woken(jobB)])
        .thenState({ alive: 1, waiting: {} });
    });
    it('a handed slot counts: a later reservation at the maximum is refused', () => {
      spec
        .given([reserved(r1), waiting(jobA, T0), released(r1), woken(jobA), handed(jobA)])
        .when({ type: 'ReserveRunnerSlot', data: { runnerId: r2, jobId: jobB, maxRunners: 1, at: T2 } })
        .thenRejects({ reason: 'max-runners-reached', alive: 1, max: 1 });
    });
    it('a job that reserves a slot leaves the list', () => {
      const state = fold(poolDecider, [reserved(r1), waiting(jobA), released(r1), reserved(r2, jobA)]);
      expect(state.waiting).toEqual({});
    });
  });

  describe('PassWakeUp', () => {
    const pass = (maxRunners: number): PoolCommand => ({ type: 'PassWakeUp', data: { maxRunners, at: T2 } });
    it('a woken job that needs no slot passes the wake-up, and the free slot, to the oldest waiting job', () => {
      spec
        .given([reserved(r1), waiting(jobA, T0), waiting(jobB, T1), released(r1), woken(jobA)])
        .when(pass(1))
        .then([woken(jobB), handed(jobB)]);
    });
    it('passes nothing when the slot was taken meanwhile', () => {
      spec
        .given([reserved(r1), waiting(jobB, T1), released(r1), reserved(r2)])
        .when(pass(1))
        .thenNothing();
    });
    it('passes nothing when nobody waits', () => {
      spec.given([]).when(pass(1)).thenNothing();
    });
  });

  it('a snapshot from before the list existed folds waiting events', () => {
    const old = { slots: { [r1]: { jobId: null, at: T0 } }, alive: 1, reservedTotal: 1, releasedTotal: 0 };
    const state = [waiting(jobA)].reduce(poolDecider.evolve, old);
    expect(Object.keys(state.waiting ?? {})).toEqual([jobA]);
    expect(poolDecider.decide(release(r1), state)).toEqual({
      kind: 'accepted',
      events: [released(r1), woken(jobA)],
    });
  });
});
