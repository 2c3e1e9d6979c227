import { assertNever } from '../shared/assert-never';
import { accept, reject, type Decider, type Decision } from '../shared/decider';
import type { PoolCommand, PoolRejection } from './pool.commands';
import type { PoolEvent } from './pool.events';
import { initialPoolState, type PoolState } from './pool.state';

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
      return state.slots[command.data.runnerId]
        ? accept({ type: 'RunnerSlotReleased', data: command.data })
        : accept();
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

export function evolvePool(state: PoolState, event: PoolEvent): PoolState {
  switch (event.type) {
    case 'RunnerSlotReserved': {
      if (state.slots[event.data.runnerId]) return state;
      const slots = { ...state.slots, [event.data.runnerId]: { jobId: event.data.jobId, at: event.data.at } };
      return {
        slots,
        alive: state.alive + 1,
        reservedTotal: state.reservedTotal + 1,
        releasedTotal: state.releasedTotal,
      };
    }
    case 'RunnerSlotReleased': {
      if (!state.slots[event.data.runnerId]) return state;
      const slots = { ...state.slots };
      delete slots[event.data.runnerId];
      return {
        slots,
        alive: state.alive - 1,
        reservedTotal: state.reservedTotal,
        releasedTotal: state.releasedTotal + 1,
      };
    }
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
