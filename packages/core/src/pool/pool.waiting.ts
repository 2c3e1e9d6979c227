import { accept, reject, type Decision } from '../shared/decider';
import type { IsoTime, JobId } from '../shared/brand';
import { runnerIdForJob } from '../runner/runner.decider';
import type { PoolRejection, WaitForSlot } from './pool.commands';
import type { PoolEvent, WaitingJobWoken } from './pool.events';
import type { PoolState, PoolWaitingJob } from './pool.state';

/**
 * The pool's waiting list: jobs that found the pool full wait here instead of asking again
 * every 30 s, and each released slot wakes the oldest of them. A wake is a message, and a
 * message can be lost (a crash between the append and the send): the reconciler's requeue of
 * jobs queued too long is the safety net (docs/architecture.md, "Waiting for a slot").
 */

const waitingOf = (state: PoolState): Readonly<Record<string, PoolWaitingJob>> => state.waiting ?? {};

export function decideWaitForSlot(
  command: WaitForSlot,
  state: PoolState,
): Decision<PoolEvent, PoolRejection> {
  const { jobId, attempt, reason, maxAttempts, maxRunners, maxWaiting, at } = command.data;
  if (maxRunners < 0 || state.alive < maxRunners) {
    return reject({ reason: 'slot-free', alive: state.alive, max: maxRunners });
  }
  const waiting = waitingOf(state);
  const current = waiting[jobId];
  if (current && current.attempt >= attempt) return accept();
  if (!current && Object.keys(waiting).length >= maxWaiting) {
    return reject({ reason: 'waiting-list-full', waiting: Object.keys(waiting).length });
  }
  return accept({
    type: 'JobWaitingForSlot',
    data: { jobId, attempt, reason, ...(maxAttempts === undefined ? {} : { maxAttempts }), at },
  });
}

/** The oldest `count` waiting jobs (by the time they started waiting, then job id), woken. */
export function wakeOldest(state: PoolState, count: number, at: IsoTime): WaitingJobWoken[] {
  if (count <= 0) return [];
  return Object.entries(waitingOf(state))
    .sort(([a, x], [b, y]) => (x.since < y.since ? -1 : x.since > y.since ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .slice(0, count)
    .map(([jobId, job]) => ({
      type: 'WaitingJobWoken',
      data: {
        jobId: jobId as JobId,
        attempt: job.attempt,
        reason: job.reason,
        ...(job.maxAttempts === undefined ? {} : { maxAttempts: job.maxAttempts }),
        at,
      },
    }));
}

/**
 * The oldest `count` waiting jobs woken, each handed a slot while the pool stays within
 * `maxRunners` (`alive`: the slots held once this append's releases are counted): a
 * `RunnerSlotReserved` for the runner the job's woken message will request
 * (`runnerIdForJob(job, attempt)`), so the woken scale-up neither reads nor writes the pool and
 * no newer job can take the slot first. Without `maxRunners` (an unconfigured pool) jobs are only
 * woken. A handed slot whose job turns out not to need it is released by scale-up (handed on
 * again); one whose wake-up is lost is a reservation never requested, which the reconciler's
 * release-slots step withdraws and gives back after its grace period (docs/architecture.md).
 */
export function wakeAndHand(
  state: PoolState,
  count: number,
  at: IsoTime,
  maxRunners: number | undefined,
  alive: number,
): PoolEvent[] {
  const free = maxRunners === undefined ? 0 : maxRunners < 0 ? count : Math.max(0, maxRunners - alive);
  return wakeOldest(state, count, at).flatMap((woken, i): PoolEvent[] =>
    i < free
      ? [
          woken,
          {
            type: 'RunnerSlotReserved',
            data: {
              runnerId: runnerIdForJob(woken.data.jobId, woken.data.attempt),
              jobId: woken.data.jobId,
              at,
            },
          },
        ]
      : [woken],
  );
}

/** The list with `jobId` added (keeping when it first waited) or removed. */
export function withWaiting(state: PoolState, jobId: string, job: PoolWaitingJob | null): PoolState {
  const waiting = { ...waitingOf(state) };
  const previous = waiting[jobId];
  if (job === null) {
    if (!previous) return state;
    delete waiting[jobId];
  } else {
    waiting[jobId] = previous ? { ...job, since: previous.since } : job;
  }
  return { ...state, waiting };
}
