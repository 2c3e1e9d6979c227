import { RunnerId, type JobId } from '../shared/brand';
import type { Decider } from '../shared/decider';
import type { RunnerCommand, RunnerRejection } from './runner.commands';
import { decideRunner } from './runner.decide';
import type { RunnerEvent } from './runner.events';
import { evolveRunner } from './runner.evolve';
import { initialRunnerState, type RunnerState } from './runner.state';

/** The runner stream: one runner from request to termination. */
export const runnerDecider: Decider<RunnerCommand, RunnerEvent, RunnerState, RunnerRejection> = {
  initialState: initialRunnerState,
  decide: decideRunner,
  evolve: evolveRunner,
  isTerminal: (state) =>
    state.status === 'terminated' ||
    state.status === 'launch_failed' ||
    (state.status === 'none' && state.withdrawnAt !== undefined),
};

export const runnerStreamId = (runnerId: string): string => `runner-${runnerId}`;

/**
 * The runner requested for attempt N of a job: deterministic, so a redelivery finds it, and a
 * pool release can reserve a slot for a waiting job's next runner before it is requested.
 */
export const runnerIdForJob = (jobId: JobId, attempt: number): RunnerId => RunnerId(`j${jobId}-${attempt}`);
