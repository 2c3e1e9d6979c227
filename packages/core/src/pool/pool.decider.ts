import { assertNever } from '../shared/assert-never';
import { accept, reject, type Decider, type Decision } from '../shared/decider';
import type { PoolCommand, PoolRejection } from './pool.commands';
import type { PoolEvent } from './pool.events';
import { initialPoolState, type PoolState } from './pool.state';
import { decideWaitForSlot, wakeAndHand, withWaiting } from './pool.waiting';
import type { IsoTime, RunnerId } from '../shared/brand';

/**
 * Owns the invariant the reference module could not keep (its count was DescribeInstances,
 * then CreateFleet, racing): runners holding a slot never exceed `maxRunners`. Every
 * reservation is an append at the version read, so two concurrent scale-ups cannot both
 * take the last slot.
 */
export function decidePool(command: PoolCommand, state: PoolState): Decision<PoolEvent, PoolRejection> {
  switch (command.type) {
    case 'ReserveRunnerSlot': {
      const { runnerId, jobId, maxRunners, at } = command.data;
      if (state.slots[runnerId]) return accept();
      if (maxRunners >= 0 && state.alive >= maxRunners) {
        return reject({ reason: 'max-runners-reached', alive: state.alive, max: maxRunners });
      }
      return accept({ type: 'RunnerSlotReserved', data: { runnerId, jobId, at } });
    }
    case 'ReserveRunnerSlots':
      return accept(...reserveInOrder(command.data, state));
    case 'ReleaseRunnerSlot':
      return decideRelease([command.data.runnerId], command.data.at, state, command.data.maxRunners);
    case 'ReleaseRunnerSlots':
      return decideRelease(command.data.runnerIds, command.data.at, state, command.data.maxRunners);
    case 'WaitForSlot':
      return decideWaitForSlot(command, state);
    case 'PassWakeUp': {
      const { maxRunners, at } = command.data;
      const free = maxRunners < 0 || state.alive < maxRunners;
      return accept(...(free ? wakeAndHand(state, 1, at, maxRunners, state.alive) : []));
    }
    default:
      return assertNever(command);
  }
}

/** One event per runner that gets a slot: in order, skipping holders, up to the maximum. */
function reserveInOrder(
  { requests, maxRunners, at }: Extract<PoolCommand, { type: 'ReserveRunnerSlots' }>['data'],
  state: PoolState,
): PoolEvent[] {
  const events: PoolEvent[] = [];
  const taken = new Set<string>();
  for (const { runnerId, jobId } of requests) {
    if (state.slots[runnerId] || taken.has(runnerId)) continue;
    if (maxRunners >= 0 && state.alive + events.length >= maxRunners) break;
    taken.add(runnerId);
    events.push({ type: 'RunnerSlotReserved', data: { runnerId, jobId, at } });
  }
  return events;
}

/**
 * Each slot given back wakes one waiting job (oldest first) and, within `maxRunners`, is handed
 * to it in the same append (pool.waiting.ts, `wakeAndHand`).
 */
function decideRelease(
  runnerIds: readonly RunnerId[],
  at: IsoTime,
  state: PoolState,
  maxRunners?: number,
): Decision<PoolEvent, PoolRejection> {
  const held = [...new Set(runnerIds)].filter((runnerId) => state.slots[runnerId]);
  const released: PoolEvent[] = held.map((runnerId) => ({
    type: 'RunnerSlotReleased',
    data: { runnerId, at },
  }));
  return accept(...released, ...wakeAndHand(state, held.length, at, maxRunners, state.alive - held.length));
}

export function evolvePool(state: PoolState, event: PoolEvent): PoolState {
  switch (event.type) {
    case 'RunnerSlotReserved': {
      if (state.slots[event.data.runnerId]) return state;
      const slots = { ...state.slots, [event.data.runnerId]: { jobId: event.data.jobId, at: event.data.at } };
      const reserved = {
        ...state,
        slots,
        alive: state.alive + 1,
        reservedTotal: state.reservedTotal + 1,
      };
      // A job that got a slot waits no longer.
      return event.data.jobId === null ? reserved : withWaiting(reserved, event.data.jobId, null);
    }
    case 'RunnerSlotReleased': {
      if (!state.slots[event.data.runnerId]) return state;
      const slots = { ...state.slots };
      delete slots[event.data.runnerId];
      return { ...state, slots, alive: state.alive - 1, releasedTotal: state.releasedTotal + 1 };
    }
    case 'JobWaitingForSlot': {
      const { jobId, attempt, reason, maxAttempts, at } = event.data;
      const job = { attempt, reason, ...(maxAttempts === undefined ? {} : { maxAttempts }), since: at };
      return withWaiting(state, jobId, job);
    }
    case 'WaitingJobWoken':
      return withWaiting(state, event.data.jobId, null);
    default:
      return assertNever(event);
  }
}

export const poolDecider: Decider<PoolCommand, PoolEvent, PoolState, PoolRejection> = {
  initialState: initialPoolState,
  decide: decidePool,
  evolve: evolvePool,
  isTerminal: () => false,
};

export const poolStreamId = (poolId: string): string => `pool-${poolId}`;

/** The pool stream grows with every runner; a snapshot every this many events bounds reads. */
export const POOL_SNAPSHOT_EVERY = 50;
