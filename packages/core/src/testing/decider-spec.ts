import { expect } from '@jest/globals';
import { fold, type Decider, type Decision } from '../shared/decider';

/**
 * Given/when/then for deciders:
 *
 * ```ts
 * deciderSpec(runnerDecider).given([requested, launched]).when(terminate).then([terminationRequested]);
 * deciderSpec(runnerDecider).given([...busy]).when(terminate).thenRejects({ reason: 'runner-busy', jobId });
 * deciderSpec(jobDecider).given([queued]).when(started).thenState({ status: 'in_progress' });
 * ```
 *
 * Every assertion also checks what every decider must guarantee whatever the branch:
 * `decide` does not throw and decides the same twice, and the decided events fold without
 * throwing. `thenState` compares with `toMatchObject`, so a partial state is enough.
 */
export function deciderSpec<C, E, S, R>(decider: Decider<C, E, S, R>): DeciderSpecGiven<C, E, S, R> {
  return {
    given: (history) => {
      const state = fold(decider, history);
      return {
        when: (command) => outcome(decider, state, command),
        thenState: (expected) => {
          expect(state).toMatchObject(expected as object);
        },
      };
    },
  };
}

export interface DeciderSpecGiven<C, E, S, R> {
  /** The stream's history: events already recorded, oldest first. */
  given(history: readonly E[]): DeciderSpecWhen<C, E, S, R>;
}

export interface DeciderSpecWhen<C, E, S, R> {
  when(command: C): DeciderSpecThen<E, S, R>;
  /** The state the history folds to (partial match). */
  thenState(expected: DeepPartial<S>): void;
}

export interface DeciderSpecThen<E, S, R> {
  /** The command is accepted and decides exactly these events (`[]`: nothing to record). */
  then(expected: readonly E[]): DeciderSpecThen<E, S, R>;
  /** Shorthand for `then([])`: an idempotent repeat or a fact that no longer applies. */
  thenNothing(): DeciderSpecThen<E, S, R>;
  /** The command is refused with exactly this rejection. */
  thenRejects(expected: R): DeciderSpecThen<E, S, R>;
  /** The state after the decided events are folded in (partial match); the history's state when rejected. */
  thenState(expected: DeepPartial<S>): DeciderSpecThen<E, S, R>;
}

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

function outcome<C, E, S, R>(decider: Decider<C, E, S, R>, state: S, command: C): DeciderSpecThen<E, S, R> {
  const decision = decider.decide(command, state);
  expect(decider.decide(command, state)).toEqual(decision);
  const after = decision.kind === 'accepted' ? fold(decider, decision.events, state) : state;
  const self: DeciderSpecThen<E, S, R> = {
    then: (expected) => {
      expect(describeDecision(decision)).toEqual({ kind: 'accepted', events: expected });
      return self;
    },
    thenNothing: () => self.then([]),
    thenRejects: (expected) => {
      expect(describeDecision(decision)).toEqual({ kind: 'rejected', rejection: expected });
      return self;
    },
    thenState: (expected) => {
      expect(after).toMatchObject(expected as object);
      return self;
    },
  };
  return self;
}

/** A plain copy, so a failed assertion prints the whole decision. */
function describeDecision<E, R>(decision: Decision<E, R>): Decision<E, R> {
  return decision.kind === 'accepted'
    ? { kind: 'accepted', events: [...decision.events] }
    : { kind: 'rejected', rejection: decision.rejection };
}
