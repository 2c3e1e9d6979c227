/**
 * A decider (Jérémie Chassaing's pattern): pure functions that decide what happened in
 * reply to a command, and fold what happened into state.
 */
export interface Decider<C, E, S, R> {
  readonly initialState: S;
  /** Events to append (`[]` for an idempotent repeat) or a typed rejection. Never throws. */
  decide(command: C, state: S): Decision<E, R>;
  /** Total: never throws, ignores events that do not apply to the state. */
  evolve(state: S, event: E): S;
  /** A terminal stream accepts no further intention; facts about it are ignored. */
  isTerminal(state: S): boolean;
}

/** The outcome of `decide`: events to append, or a business "no" as a value. */
export type Decision<E, R> =
  | { readonly kind: 'accepted'; readonly events: readonly E[] }
  | { readonly kind: 'rejected'; readonly rejection: R };

export const accept = <E>(...events: E[]): Decision<E, never> => ({ kind: 'accepted', events });
export const reject = <R>(rejection: R): Decision<never, R> => ({ kind: 'rejected', rejection });

/** Folds a history into state. */
export function fold<E, S>(
  decider: Pick<Decider<unknown, E, S, unknown>, 'initialState' | 'evolve'>,
  events: readonly E[],
  from?: S,
): S {
  return events.reduce((state, event) => decider.evolve(state, event), from ?? decider.initialState);
}
