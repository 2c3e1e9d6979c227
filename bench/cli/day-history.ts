// A day of history for the CLI benchmark: 20,000 ephemeral runners (one job each) over 24 hours
// on two pools, written as the DynamoDB event store adapter stores them (each job and runner
// stream with its whole history and the head the scaler would have written, bulk-loaded; the
// pool streams through `append`), plus the jobs still waiting at the end of the day.
import type { DynamoDbEventStore } from '@hangar/adapter-aws';
import type { BulkWriter } from './bulk-writer';
import {
  DependencyError,
  InstanceId,
  JobId,
  POOL_SNAPSHOT_EVERY,
  PoolId,
  RunnerId,
  fold,
  jobStreamId,
  mapLimit,
  poolDecider,
  poolStreamId,
  runnerStreamId,
  streams,
  toIso,
  type JobEvent,
  type PoolEvent,
  type RunnerEvent,
  VersionConflictError,
} from '@hangar/core';

export const DAY_START = Date.parse('2026-03-02T00:00:00.000Z');
export const DAY_END = DAY_START + 24 * 3600_000;
const definitions = streams(30 * 24 * 3600_000);
const at = (ms: number) => toIso(Math.round(ms));

export interface DayPlan {
  readonly runners: number;
  /** Jobs still queued at the end of the day (pool at max), out of the last ones. */
  readonly waiting: number;
  readonly pools: readonly { readonly id: string; readonly share: number; readonly max: number }[];
}

interface Job {
  readonly i: number;
  readonly pool: string;
  readonly queuedAt: number;
}

function jobEvents(job: Job, now: number, waiting: boolean): JobEvent[] {
  const jobId = JobId(1_000_000 + job.i);
  const runnerId = RunnerId(`j${jobId}-1`);
  const events: JobEvent[] = [
    {
      type: 'JobQueued',
      data: {
        jobId,
        runId: String(job.i),
        owner: 'acme',
        repo: `repo-${job.i % 40}`,
        labels: ['self-hosted', 'linux', job.pool],
        installationId: 1,
        name: `build ${job.i % 7}`,
        queuedAt: at(job.queuedAt),
      },
    },
  ];
  if (waiting) {
    events.push({
      type: 'ScaleUpRejected',
      data: {
        poolId: PoolId(job.pool),
        reason: 'max-runners-reached',
        detail: `pool ${job.pool} is at its maximum`,
        at: at(job.queuedAt + 5_000),
        alive: 400,
        max: 400,
      },
    });
    return events;
  }
  const steps: [number, JobEvent][] = [
    [
      5_000,
      {
        type: 'RunnerRequestedForJob',
        data: {
          runnerId,
          poolId: PoolId(job.pool),
          attempt: 1,
          reason: 'queued',
          requestedAt: at(job.queuedAt + 5_000),
        },
      },
    ],
    [
      60_000,
      {
        type: 'JobStarted',
        data: { runnerName: `hgr-${runnerId}`, githubRunnerId: job.i, startedAt: at(job.queuedAt + 60_000) },
      },
    ],
    [
      60_000 + duration(job),
      {
        type: 'JobCompleted',
        data: {
          conclusion: 'success',
          runnerName: `hgr-${runnerId}`,
          completedAt: at(job.queuedAt + 60_000 + duration(job)),
        },
      },
    ],
  ];
  for (const [offset, event] of steps) if (job.queuedAt + offset <= now) events.push(event);
  return events;
}

const duration = (job: Job) => 120_000 + (job.i % 13) * 60_000;

function runnerEvents(job: Job, now: number): RunnerEvent[] {
  const jobId = JobId(1_000_000 + job.i);
  const runnerId = RunnerId(`j${jobId}-1`);
  const t = job.queuedAt + 5_000;
  const end = job.queuedAt + 60_000 + duration(job);
  const steps: [number, RunnerEvent][] = [
    [
      t,
      {
        type: 'RunnerRequested',
        data: {
          runnerId,
          poolId: PoolId(job.pool),
          jobId,
          ephemeral: true,
          compute: 'ec2',
          requestedAt: at(t),
        },
      },
    ],
    [t, { type: 'RunnerLaunchStarted', data: { attempt: 1, capacityType: 'spot', at: at(t) } }],
    [
      t + 2_000,
      {
        type: 'RunnerLaunched',
        data: {
          instanceId: InstanceId(`i-${job.i.toString(16).padStart(17, '0')}`),
          instanceType: 'm7i.large',
          capacityType: 'spot',
          launchedAt: at(t + 2_000),
        },
      },
    ],
    [
      t + 2_000,
      {
        type: 'RunnerRegistrationIssued',
        data: { runnerName: `hgr-${runnerId}`, githubRunnerId: job.i, at: at(t + 2_000) },
      },
    ],
    [job.queuedAt + 60_000, { type: 'RunnerJobStarted', data: { jobId, at: at(job.queuedAt + 60_000) } }],
    [end, { type: 'RunnerJobFinished', data: { jobId, at: at(end) } }],
    [end + 2_000, { type: 'RunnerDeregistered', data: { at: at(end + 2_000) } }],
    [end + 5_000, { type: 'RunnerTerminated', data: { at: at(end + 5_000) } }],
  ];
  return steps.filter(([when]) => when <= now).map(([, event]) => event);
}

/** Writes the day; returns the ids the benchmark asks about. */
export async function writeDay(
  store: DynamoDbEventStore,
  bulk: BulkWriter,
  plan: DayPlan,
): Promise<{
  readonly busyJob: string;
  readonly waitingJob: string;
  readonly runnerId: string;
  readonly instanceId: string;
  readonly runnerName: string;
  readonly events: number;
}> {
  const spacing = (DAY_END - DAY_START) / plan.runners;
  const poolOf = (i: number) => {
    let x = (i % 100) / 100;
    for (const pool of plan.pools) if ((x -= pool.share) < 0) return pool.id;
    return plan.pools[0]?.id ?? 'linux';
  };
  const jobs: Job[] = Array.from({ length: plan.runners }, (_, i) => ({
    i,
    pool: poolOf(i),
    queuedAt: DAY_START + i * spacing,
  }));
  const waitingFrom = plan.runners - plan.waiting;
  let events = 0;
  const metadata = { recordedAt: at(DAY_END) };
  await mapLimit(jobs, 32, async (job) => {
    const waiting = job.i >= waitingFrom;
    const jobStream = jobEvents(job, DAY_END, waiting);
    const jobState = fold(definitions.job.decider, jobStream);
    await bulk.stream(jobStreamId(JobId(1_000_000 + job.i)), jobStream, {
      metadata,
      head: definitions.job.head?.(jobState, ''),
    });
    events += jobStream.length;
    if (waiting) return;
    const runner = runnerEvents(job, DAY_END);
    const runnerState = fold(definitions.runner.decider, runner);
    await bulk.stream(runnerStreamId(`j${1_000_000 + job.i}-1`), runner, {
      metadata,
      head: definitions.runner.head?.(runnerState, ''),
    });
    events += runner.length;
  });
  await bulk.flush();
  for (const pool of plan.pools)
    events += await writePool(
      store,
      pool.id,
      jobs.filter((job) => job.pool === pool.id && job.i < waitingFrom),
    );
  const busy = jobs[waitingFrom - 1] as Job;
  const id = 1_000_000 + busy.i;
  return {
    busyJob: String(id),
    waitingJob: String(1_000_000 + plan.runners - 1),
    runnerId: `j${id}-1`,
    instanceId: `i-${busy.i.toString(16).padStart(17, '0')}`,
    runnerName: `hgr-j${id}-1`,
    events,
  };
}

/** The pool stream in time order, 99 events per append (a transaction's limit), with its snapshot. */
async function writePool(store: DynamoDbEventStore, poolId: string, jobs: readonly Job[]): Promise<number> {
  const timed: [number, PoolEvent][] = [];
  for (const job of jobs) {
    const runnerId = RunnerId(`j${1_000_000 + job.i}-1`);
    const reserved = job.queuedAt + 5_000;
    const released = job.queuedAt + 65_000 + duration(job);
    timed.push([
      reserved,
      { type: 'RunnerSlotReserved', data: { runnerId, jobId: JobId(1_000_000 + job.i), at: at(reserved) } },
    ]);
    if (released <= DAY_END)
      timed.push([released, { type: 'RunnerSlotReleased', data: { runnerId, at: at(released) } }]);
  }
  const events = timed.sort((a, b) => a[0] - b[0]).map(([, event]) => event);
  const stream = poolStreamId(poolId);
  for (let version = 0; version < events.length; version += 99) {
    await appendRetrying(store, stream, version, events.slice(version, version + 99), {
      metadata: { recordedAt: at(DAY_END) },
    });
  }
  const snapshotAt = Math.floor(events.length / POOL_SNAPSHOT_EVERY) * POOL_SNAPSHOT_EVERY;
  await store.saveSnapshot(stream, snapshotAt, fold(poolDecider, events.slice(0, snapshotAt)));
  return events.length;
}

/**
 * A loaded DynamoDB Local times out waiting for its own locks ("will succeed in actual DynamoDB"):
 * retry a few times; a version conflict on a retry means the earlier call was written after all.
 */
async function appendRetrying(store: DynamoDbEventStore, ...args: Parameters<DynamoDbEventStore['append']>) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await store.append(...args);
    } catch (error) {
      if (attempt > 1 && error instanceof VersionConflictError) return undefined;
      if (!(error instanceof DependencyError && error.retryable) || attempt === 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
