import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JobId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import type { PoolCommand } from './pool.commands';
import { poolDecider } from './pool.decider';
import type { PoolEvent } from './pool.events';
import type { PoolState } from './pool.state';

const runnerIds = Array.from({ length: 8 }, (_, i) => RunnerId(`r-${i}`));
const runner = fc.constantFrom(...runnerIds);
const at = '2026-01-01T10:00:00.000Z';

const jobIds = Array.from({ length: 6 }, (_, i) => JobId(i + 1));
const job = fc.constantFrom(...jobIds);
const MAX_WAITING = 4;

const command = (maxRunners: number): fc.Arbitrary<PoolCommand> =>
  fc.oneof(
    fc.tuple(runner, fc.option(job, { nil: null })).map(([runnerId, jobId]): PoolCommand => ({
      type: 'ReserveRunnerSlot',
      data: { runnerId, jobId, maxRunners, at },
    })),
    runner.map((runnerId): PoolCommand => ({ type: 'ReleaseRunnerSlot', data: { runnerId, at } })),
    fc.array(runner, { maxLength: 10 }).map((ids): PoolCommand => ({
      type: 'ReserveRunnerSlots',
      data: { requests: ids.map((runnerId) => ({ runnerId, jobId: null })), maxRunners, at },
    })),
    fc
      .array(runner, { maxLength: 4 })
      .map((runnerIds): PoolCommand => ({ type: 'ReleaseRunnerSlots', data: { runnerIds, at } })),
    fc.tuple(job, fc.integer({ min: 1, max: 2 })).map(([jobId, attempt]): PoolCommand => ({
      type: 'WaitForSlot',
      data: { jobId, attempt, reason: 'queued', maxRunners, maxWaiting: MAX_WAITING, at },
    })),
  );

const scenario = fc
  .integer({ min: 0, max: 6 })
  .chain((max) => fc.tuple(fc.constant(max), fc.array(command(max), { maxLength: 60 })));

interface Step {
  readonly before: PoolState;
  readonly command: PoolCommand;
  readonly events: readonly PoolEvent[];
  readonly rejected: boolean;
  readonly after: PoolState;
}

function run(commands: readonly PoolCommand[]): { steps: Step[]; events: PoolEvent[]; state: PoolState } {
  let state = poolDecider.initialState;
  const steps: Step[] = [];
  const events: PoolEvent[] = [];
  for (const c of commands) {
    const decision = poolDecider.decide(c, state);
    const decided = decision.kind === 'accepted' ? decision.events : [];
    const after = fold(poolDecider, decided, state);
    steps.push({ before: state, command: c, events: decided, rejected: decision.kind === 'rejected', after });
    events.push(...decided);
    state = after;
  }
  return { steps, events, state };
}

describe('pool decider properties', () => {
  it('under any interleaving of reservations and releases, alive never exceeds maxRunners', () => {
    fc.assert(
      fc.property(scenario, ([max, commands]) => {
        for (const { after } of run(commands).steps) {
          expect(after.alive).toBeLessThanOrEqual(max);
          expect(after.alive).toBeGreaterThanOrEqual(0);
          expect(Object.keys(after.slots)).toHaveLength(after.alive);
          expect(after.reservedTotal - after.releasedTotal).toBe(after.alive);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('releasing a runner that holds no slot records nothing', () => {
    fc.assert(
      fc.property(scenario, ([, commands]) => {
        for (const step of run(commands).steps) {
          if (step.command.type === 'ReleaseRunnerSlot' && !step.before.slots[step.command.data.runnerId]) {
            expect(step.events).toEqual([]);
            expect(step.after).toEqual(step.before);
          }
        }
      }),
    );
  });

  it('reserving twice for the same runner reserves once', () => {
    fc.assert(
      fc.property(scenario, runner, ([max, commands], runnerId) => {
        const { state } = run(commands);
        const again: PoolCommand = {
          type: 'ReserveRunnerSlot',
          data: { runnerId, jobId: null, maxRunners: max, at },
        };
        const first = run([...commands, again]);
        const second = run([...commands, again, again]);
        expect(second.state).toEqual(first.state);
        expect(first.state.alive - state.alive).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a reservation is refused only when the pool is full, and only for a runner without a slot', () => {
    fc.assert(
      fc.property(scenario, ([max, commands]) => {
        for (const step of run(commands).steps) {
          if (!step.rejected || step.command.type === 'WaitForSlot') continue;
          if (step.command.type !== 'ReserveRunnerSlot') throw new Error('only a reservation is rejected');
          expect(step.before.alive).toBeGreaterThanOrEqual(max);
          if (step.command.type === 'ReserveRunnerSlot')
            expect(step.before.slots[step.command.data.runnerId]).toBeUndefined();
        }
      }),
    );
  });

  it('a batch reservation grants exactly the slots one reservation per runner would, in one decision', () => {
    fc.assert(
      fc.property(scenario, fc.array(runner, { maxLength: 10 }), ([max, commands], ids) => {
        const batch: PoolCommand = {
          type: 'ReserveRunnerSlots',
          data: { requests: ids.map((runnerId) => ({ runnerId, jobId: null })), maxRunners: max, at },
        };
        const singles = ids.map((runnerId): PoolCommand => ({
          type: 'ReserveRunnerSlot',
          data: { runnerId, jobId: null, maxRunners: max, at },
        }));
        const together = run([...commands, batch]);
        const oneByOne = run([...commands, ...singles]);
        expect(together.state).toEqual(oneByOne.state);
        expect(together.state.alive).toBeLessThanOrEqual(Math.max(max, run(commands).state.alive));
      }),
      { numRuns: 300 },
    );
  });

  it('a waiting job is never lost: each slot freed wakes one waiting job while any waits, and the list stays bounded', () => {
    fc.assert(
      fc.property(scenario, ([, commands]) => {
        for (const step of run(commands).steps) {
          const before = Object.keys(step.before.waiting ?? {});
          const after = Object.keys(step.after.waiting ?? {});
          const freed = step.events.filter((e) => e.type === 'RunnerSlotReleased').length;
          const woken = step.events.filter((e) => e.type === 'WaitingJobWoken');
          expect(woken).toHaveLength(Math.min(freed, before.length));
          for (const event of woken) expect(after).not.toContain(event.data.jobId);
          // A job leaves the list only by being woken or by getting a slot.
          for (const jobId of before.filter((id) => !after.includes(id))) {
            const left = step.events.some(
              (e) =>
                (e.type === 'WaitingJobWoken' || e.type === 'RunnerSlotReserved') && e.data.jobId === jobId,
            );
            expect(left).toBe(true);
          }
          expect(after.length).toBeLessThanOrEqual(MAX_WAITING);
          if (step.command.type === 'WaitForSlot' && step.rejected) {
            const rejection = poolDecider.decide(step.command, step.before);
            expect(rejection.kind).toBe('rejected');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with -1 max runners every new runner gets a slot', () => {
    fc.assert(
      fc.property(fc.array(command(-1), { maxLength: 60 }), (commands) => {
        const refused = run(commands).steps.filter(
          (s) => s.rejected && s.command.type === 'ReserveRunnerSlot',
        );
        expect(refused).toEqual([]);
      }),
    );
  });

  it('folding the decided events reproduces the state, whatever the order of commands', () => {
    fc.assert(
      fc.property(scenario, ([, commands]) => {
        const { events, state } = run(commands);
        expect(fold(poolDecider, events)).toEqual(state);
        expect(fold(poolDecider, events)).toEqual(fold(poolDecider, events));
      }),
    );
  });
});
