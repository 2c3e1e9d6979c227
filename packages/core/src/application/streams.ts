import type { StreamHead } from '../ports/event-store';
import { jobDecider } from '../job/job.decider';
import type { JobCommand, JobRejection } from '../job/job.commands';
import type { JobEvent } from '../job/job.events';
import type { JobState } from '../job/job.state';
import { runnerDecider } from '../runner/runner.decider';
import type { RunnerCommand, RunnerRejection } from '../runner/runner.commands';
import type { RunnerEvent } from '../runner/runner.events';
import { machineOf, type RunnerState } from '../runner/runner.state';
import { poolDecider, POOL_SNAPSHOT_EVERY } from '../pool/pool.decider';
import type { PoolCommand, PoolRejection } from '../pool/pool.commands';
import type { PoolEvent } from '../pool/pool.events';
import type { PoolState } from '../pool/pool.state';
import type { JobView, RunnerView } from '../scaling/views';
import { JobId, type IsoTime } from '../shared/brand';
import type { StreamDefinition } from './handle-command';

export type JobStream = StreamDefinition<JobCommand, JobEvent, JobState, JobRejection>;
export type RunnerStream = StreamDefinition<RunnerCommand, RunnerEvent, RunnerState, RunnerRejection>;
export type PoolStream = StreamDefinition<PoolCommand, PoolEvent, PoolState, PoolRejection>;

export interface Streams {
  readonly job: JobStream;
  readonly runner: RunnerStream;
  readonly pool: PoolStream;
}

/** The projection of a job stream that policies read (null while nothing is known). */
export function jobView(state: JobState): JobView | null {
  if (state.status === 'unknown' || state.info === null) return null;
  const info = state.info;
  return {
    jobId: info.jobId,
    status: state.status,
    owner: info.owner,
    repo: info.repo,
    labels: info.labels,
    queuedAt: state.queuedAt ?? ('1970-01-01T00:00:00.000Z' as IsoTime),
    requests: state.requests,
    unroutable: state.status === 'queued' ? state.unroutable : null,
    lastRejectedAt: state.lastRejectedAt,
    ...(state.status === 'in_progress' ? { runnerName: state.runnerName, startedAt: state.startedAt } : {}),
  };
}

/** The projection of a runner stream that policies read (null before it is requested). */
export function runnerView(state: RunnerState): RunnerView | null {
  if (state.status === 'none') return null;
  const machine = machineOf(state);
  return {
    runnerId: state.runnerId,
    poolId: state.poolId,
    status: state.status,
    ephemeral: state.ephemeral,
    requestedForJobId: state.requestedForJobId,
    currentJobId: state.status === 'busy' ? state.currentJobId : null,
    requestedAt: state.requestedAt,
    launchedAt: machine?.launchedAt ?? null,
    configDeliveredAt: machine?.configDeliveredAt ?? null,
    idleSince: state.status === 'idle' ? state.idleSince : null,
    online: machine ? machine.online || machine.jobsRun > 0 : false,
    instanceId: machine?.instanceId ?? null,
    runnerName: machine?.registration?.runnerName ?? null,
    githubRunnerId: machine?.registration?.githubRunnerId ?? null,
    terminationReason: state.status === 'terminating' || state.status === 'terminated' ? state.reason : null,
    jobsRun: machine?.jobsRun ?? 0,
    launchFailures: state.launchFailures,
    lastLaunchFailureAt: state.lastLaunchFailureAt,
  };
}

/** Does this job still need our attention (a runner, or a rerun after an interruption)? */
export function jobIsOpen(state: JobState): boolean {
  if (state.status === 'unknown' || state.info === null) return false;
  if (state.status === 'queued') return state.unroutable === null;
  if (state.status === 'in_progress') return true;
  return !jobDecider.isTerminal(state);
}

function jobHead(state: JobState): StreamHead {
  const view = jobView(state);
  return {
    streamType: 'job',
    open: jobIsOpen(state),
    group: null,
    lookupKey: null,
    alternateKey: null,
    view: (view ?? { jobId: JobId('unknown'), status: state.status }) as unknown as Record<string, unknown>,
  };
}

function runnerHead(state: RunnerState): StreamHead {
  const view = runnerView(state);
  return {
    streamType: 'runner',
    open: view !== null && !runnerDecider.isTerminal(state),
    group: view?.poolId ?? null,
    lookupKey: view?.instanceId ?? null,
    alternateKey: view?.runnerName ?? null,
    view: (view ?? {}) as unknown as Record<string, unknown>,
  };
}

/** How each stream is stored; `retentionMs` is how long an ended job or runner stream is kept. */
export function streams(retentionMs: number): Streams {
  return {
    job: { decider: jobDecider, head: jobHead, retentionMs },
    runner: { decider: runnerDecider, head: runnerHead, retentionMs },
    pool: { decider: poolDecider, snapshotEvery: POOL_SNAPSHOT_EVERY },
  };
}
