import type { Decider } from '../shared/decider';
import type { JobCommand, JobRejection } from './job.commands';
import { decideJob } from './job.decide';
import type { JobEvent } from './job.events';
import { evolveJob } from './job.evolve';
import { initialJobState, killedByInterruption, type JobState } from './job.state';

/** The job stream: one workflow job's life as GitHub reports it, plus our runner requests for it. */
export const jobDecider: Decider<JobCommand, JobEvent, JobState, JobRejection> = {
  initialState: initialJobState,
  decide: decideJob,
  evolve: evolveJob,
  // A completed job is done, unless an interruption killed it and its rerun is still to be asked
  // for (GitHub accepting or refusing it for good settles it; "not yet" does not).
  isTerminal: (state) =>
    state.status === 'completed' &&
    (state.rerunRequested || state.rerunRefused !== null || !killedByInterruption(state)),
};

export const jobStreamId = (jobId: string): string => `job-${jobId}`;
