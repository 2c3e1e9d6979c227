import { jobViewOf, runnerViewOf } from '../application/heads';
import type { PoolEvent } from '../pool/pool.events';
import type { StreamHeadRecord } from '../ports/event-store';
import { runnerStreamId } from '../runner/runner.decider';
import type { RunnerView } from '../scaling/views';
import { toIso, toMillis, JobId, PoolId, RunnerId, type IsoTime } from '../shared/brand';
import { jobHistory, runnerHistory, type Recorded } from './histories';
import { jobStory, type JobStory } from './job-story';
import {
  poolActivity,
  poolReport,
  slotHolders,
  type PoolActivity,
  type PoolReport,
  type SlotHolder,
} from './pool-report';
import {
  mapLimit,
  readJob,
  readPoolSince,
  readHeadsByKey,
  readPoolState,
  readRunner,
  readRunners,
  readRunnersByKey,
  readStreamsAt,
  requestedRunners,
  type ReadDeps,
} from './read-streams';
import { runnerStory, type RunnerStory } from './runner-story';
import { byLongestWait, waitingJob, type WaitingJob } from './waiting';

export interface JobDescription {
  readonly story: JobStory;
  /** For a job waiting on a full pool: who holds the slots now and what they are doing. */
  readonly holders: readonly SlotHolder[] | null;
}

/** `hangar job`: the job's story, or null when its stream holds nothing. */
export async function describeJob(
  deps: ReadDeps,
  jobId: JobId,
  now: IsoTime,
): Promise<JobDescription | null> {
  const job = await readJob(deps, jobId);
  if (job.events.length === 0) return null;
  const runners = await readRunners(deps, requestedRunners(job));
  const story = jobStory(job, runners, now);
  const reason = story.situation.kind === 'waiting' ? story.situation.reason : null;
  const holders = reason?.code === 'pool-at-max' ? await poolHolders(deps, reason.poolId) : null;
  return { story, holders };
}

async function poolHolders(deps: ReadDeps, poolId: string): Promise<SlotHolder[]> {
  const [state, open] = await Promise.all([
    readPoolState(deps, poolId),
    deps.index.listOpen('runner', poolId),
  ]);
  return slotHolders(state, open.map(runnerViewOf));
}

export interface RunnerDescription {
  readonly story: RunnerStory;
  /** What each job the runner was requested for or ran is doing now (key lookups of their streams). */
  readonly jobs: readonly { readonly jobId: JobId; readonly status: string; readonly name: string | null }[];
}

/**
 * `hangar runner`: by runner id, instance id / task ARN or GitHub runner name. The runner id
 * is a key lookup; the others go through the head indexes (lookup and alternate keys).
 */
export async function describeRunner(
  deps: ReadDeps,
  key: string,
  now: IsoTime,
): Promise<RunnerDescription | null> {
  let runner = await readRunner(deps, RunnerId(key));
  if (!runner.view) {
    const head = await deps.index.findByLookupKey('runner', key);
    if (!head) return null;
    runner = await readRunner(deps, RunnerId(head.streamId.replace(/^runner-/, '')));
  }
  const story = runnerStory(runner, now);
  if (!story) return null;
  const ids = [story.requestedForJobId, ...story.jobs.map((job) => job.jobId)].filter(
    (id, i, all): id is JobId => id !== null && all.indexOf(id) === i,
  );
  const jobs = await mapLimit(ids, deps.concurrency ?? 16, async (jobId) => {
    const state = (await readJob(deps, jobId)).state;
    return {
      jobId,
      status: state.status,
      name: state.status === 'unknown' ? null : (state.info?.name ?? null),
    };
  });
  return { story, jobs };
}

/**
 * `hangar waiting`: every job waiting for a runner, with its reason, longest wait first.
 * `openJobs`: the open job heads the caller listed already (the reconciler), instead of a
 * second listing.
 */
export async function listWaiting(
  deps: Pick<ReadDeps, 'eventStore' | 'index' | 'concurrency'> & Partial<Pick<ReadDeps, 'history'>>,
  now: IsoTime,
  openJobs?: readonly StreamHeadRecord[],
): Promise<WaitingJob[]> {
  const heads = (openJobs ?? (await deps.index.listOpen('job'))).flatMap((head) => {
    const view = jobViewOf(head);
    return view?.status === 'queued' ? [{ head, jobId: view.jobId }] : [];
  });
  const history = deps.history;
  if (history) {
    // The jobs as of the versions the index listed (the list itself may lag, so re-reading
    // their heads would not make the answer newer than a moment ago: table-design.md, "Index
    // reads and lag"), then only the latest runner of each, consistently: it says why it waits.
    const events = await readStreamsAt(
      { history },
      heads.map(({ head }) => head),
    );
    const jobs = heads.map(({ head, jobId }) => jobHistory(jobId, events.get(head.streamId) ?? []));
    const latest = jobs
      .map((job) => requestedRunners(job, true)[0])
      .filter((id): id is RunnerId => id !== undefined);
    const runners = await readRunnersByKey({ history, index: deps.index }, latest);
    const found = jobs.map((job) => waitingJob(job, runners, now));
    return byLongestWait(found.filter((job): job is WaitingJob => job !== null));
  }
  const queued = heads.map(({ jobId }) => jobId);
  const found = await mapLimit(queued, deps.concurrency ?? 16, async (jobId) => {
    const job = await readJob(deps, jobId);
    const runners = await readRunners(deps, requestedRunners(job, true));
    return waitingJob(job, runners, now);
  });
  return byLongestWait(found.filter((job): job is WaitingJob => job !== null));
}

/** A pool as configured (the CLI reads the configuration when it has it). */
export interface PoolLimit {
  readonly id: string;
  readonly maxRunners: number;
}

/**
 * `hangar pools`: per pool, capacity, fleet by status, waiting jobs by reason and the launches
 * of the last `windowMinutes`. Pools are those configured plus any seen in the open runners or
 * the waiting jobs; jobs not routed yet are reported under the pool id `-`.
 */
export async function describePools(
  deps: ReadDeps,
  now: IsoTime,
  configured: readonly PoolLimit[],
  windowMinutes = 60,
): Promise<{ readonly pools: readonly PoolReport[]; readonly waiting: readonly WaitingJob[] }> {
  const [waiting, openHeads] = await Promise.all([listWaiting(deps, now), deps.index.listOpen('runner')]);
  const open = openHeads.map(runnerViewOf);
  const ids = [...configured.map((pool) => pool.id), ...open.map((runner) => runner.poolId)];
  for (const job of waiting) if (job.poolId) ids.push(job.poolId);
  const since = toIso(toMillis(now) - windowMinutes * 60_000);
  const pools = await mapLimit([...new Set(ids)], 4, async (poolId) => {
    const [state, recent] = await Promise.all([
      readPoolState(deps, poolId),
      readPoolSince(deps, poolId, since),
    ]);
    return poolReport({
      poolId: PoolId(poolId),
      max: configured.find((pool) => pool.id === poolId)?.maxRunners ?? null,
      state,
      open: open.filter((runner: RunnerView) => runner.poolId === poolId),
      waiting: waiting.filter((job) => job.poolId === poolId),
      activity: await recentActivity(deps, since, recent),
      now,
    });
  });
  return { pools, waiting };
}

/**
 * The launches of the runners reserved in the window, from their heads (a few batched key
 * lookups however many runners); only heads older than the failure count cost their events.
 */
async function recentActivity(
  deps: ReadDeps,
  since: IsoTime,
  recent: readonly Recorded<PoolEvent>[],
): Promise<PoolActivity> {
  const reserved = recent.flatMap((event) =>
    event.type === 'RunnerSlotReserved' ? [runnerStreamId(event.data.runnerId)] : [],
  );
  const heads = await readHeadsByKey(deps, reserved);
  const stale = heads.filter((head) => runnerViewOf(head).launchFailures === undefined);
  const events = await deps.history.readEventsUpTo(
    stale.map((head) => ({ streamId: head.streamId, version: head.version })),
  );
  const older = stale.map((head) =>
    runnerHistory(RunnerId(head.streamId.replace(/^runner-/, '')), events.get(head.streamId) ?? []),
  );
  return poolActivity({ since, recent, heads: heads.map(runnerViewOf), older });
}
