import type { PoolConfig } from '../config/pool-config';
import type { JobCommand, JobRejection } from '../job/job.commands';
import type { JobEvent } from '../job/job.events';
import type { JobState } from '../job/job.state';
import type { PoolCommand, PoolRejection } from '../pool/pool.commands';
import { poolStreamId } from '../pool/pool.decider';
import type { PoolState } from '../pool/pool.state';
import type { RunnerCommand, RunnerRejection } from '../runner/runner.commands';
import type { RunnerEvent } from '../runner/runner.events';
import { runnerStreamId } from '../runner/runner.decider';
import { initialRunnerState, type RunnerState } from '../runner/runner.state';
import type { IsoTime, JobId, RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { changed, execute, executeAll, read } from './execute';
import { decidePart, metadataNow, writeTogether, type DecidedPart } from './write-together';
import type { HandleResult, KnownStream, SequenceResult } from './handle-command';

/**
 * The writes that serve a job: the pool's slot, the job's runner request and the runner's own
 * request (with its first launch attempt). Each was its own append; where nothing has to
 * happen between them they are ONE atomic write (`EventStore.appendAll`, write-together.ts) —
 * all recorded or none, so a crash or a lost answer leaves either nothing (the message comes
 * back and serves the job from the start) or everything (it finds the request and resumes the
 * launch). Anything a plain write cannot settle — a stream written since, a refusal, a store
 * without `appendAll` — takes the one-stream-at-a-time path, which is crash-safe on its own.
 */

export interface RequestCommands {
  readonly jobStream: string;
  readonly job: JobCommand;
  readonly runner: readonly RunnerCommand[];
}

export interface Requested {
  readonly requested: HandleResult<JobEvent, JobState, JobRejection>;
  /** Absent when the job refused the request: the runner is then not requested. */
  readonly runner?: SequenceResult<RunnerEvent, RunnerState, RunnerRejection>;
}

/** Where a slot stands for the runner, and the pool stream as the decision left it. */
export interface Reservation {
  readonly slot: 'held' | Extract<PoolRejection, { reason: 'max-runners-reached' }>;
  readonly pool?: KnownStream<PoolState>;
  /** Refused, and already put on the pool's waiting list by the same write (batch-requests.ts). */
  readonly waiting?: boolean;
}

const reserveCommand = (pool: PoolConfig, runnerId: RunnerId, jobId: JobId, at: IsoTime): PoolCommand => ({
  type: 'ReserveRunnerSlot',
  data: { runnerId, jobId, maxRunners: pool.maxRunners, at },
});

/** Reserves the runner's slot alone (one pool append), decided on `known` when given. */
export async function reserveSlot(
  deps: ScalerDeps,
  pool: PoolConfig,
  runnerId: RunnerId,
  jobId: JobId,
  correlationId: string,
  known?: KnownStream<PoolState>,
): Promise<Reservation> {
  const command = reserveCommand(pool, runnerId, jobId, deps.clock.now());
  const reserved = await execute(
    deps,
    deps.streams.pool,
    poolStreamId(pool.id),
    command,
    correlationId,
    known,
  );
  const after = { state: reserved.state, version: reserved.version };
  if (reserved.outcome === 'accepted') return { slot: 'held', pool: after };
  if (reserved.rejection.reason !== 'max-runners-reached')
    throw new Error(`ReserveRunnerSlot refused with ${reserved.rejection.reason}`);
  return { slot: reserved.rejection, pool: after };
}

/**
 * The slot, the job's request and the runner's in one write, decided on the pool read now and
 * the job as the caller holds it. A full pool is refused on that fresh read (the job then
 * waits, decided on the same state: no lost wake-up); a write that finds a stream written
 * since reserves alone, as before, and leaves the requests to `requestJobAndRunner`.
 */
export async function reserveWithRequest(
  deps: ScalerDeps,
  pool: PoolConfig,
  runnerId: RunnerId,
  jobId: JobId,
  commands: RequestCommands,
  jobRead: KnownStream<JobState>,
  correlationId: string,
): Promise<{ readonly reservation: Reservation; readonly requests?: Requested; readonly stale?: string }> {
  const poolStream = poolStreamId(pool.id);
  const poolRead = await read(deps, deps.streams.pool, poolStream);
  const reserve = reserveCommand(pool, runnerId, jobId, deps.clock.now());
  const decision = deps.streams.pool.decider.decide(reserve, poolRead.state);
  if (decision.kind === 'rejected') {
    if (decision.rejection.reason !== 'max-runners-reached')
      throw new Error(`ReserveRunnerSlot refused with ${decision.rejection.reason}`);
    return { reservation: { slot: decision.rejection, pool: poolRead } };
  }
  if (decision.events.length === 0) return { reservation: { slot: 'held', pool: poolRead } };
  const metadata = metadataNow(deps, correlationId);
  const slot = decidePart(
    { definition: deps.streams.pool, streamId: poolStream, commands: [reserve], known: poolRead },
    metadata,
  );
  const [job, runner] = decideRequests(deps, commands, jobRead, runnerId, metadata);
  let stale: string | undefined;
  if (slot && job && runner) {
    const written = await writeTogether(deps, [slot, job, runner] as DecidedPart<
      unknown,
      unknown,
      unknown
    >[]);
    if (written.kind === 'written')
      return { reservation: { slot: 'held' }, requests: { requested: job.result, runner: runner.result } };
    stale = written.stale;
  }
  const reservation = await reserveSlot(
    deps,
    pool,
    runnerId,
    jobId,
    correlationId,
    stale === poolStream ? undefined : poolRead,
  );
  return { reservation, ...(stale === undefined ? {} : { stale }) };
}

/**
 * The job's request and the runner's in one write (the runner's stream is new when this
 * invocation makes the job's request), else one after the other as before: the job's first,
 * then the runner's only if the job's was just recorded (a runner someone else requested is
 * left to `launchRunner`). `stale`: a stream an earlier write found written since — read again.
 */
export async function requestJobAndRunner(
  deps: ScalerDeps,
  commands: RequestCommands,
  jobRead: KnownStream<JobState>,
  runnerId: RunnerId,
  correlationId: string,
  stale?: string,
): Promise<Requested> {
  const { jobStream } = commands;
  const runnerStream = runnerStreamId(runnerId);
  let conflicted = stale;
  if (conflicted !== jobStream && conflicted !== runnerStream) {
    const [job, runner] = decideRequests(deps, commands, jobRead, runnerId, metadataNow(deps, correlationId));
    if (job && runner) {
      const written = await writeTogether(deps, [job, runner] as DecidedPart<unknown, unknown, unknown>[]);
      if (written.kind === 'written') return { requested: job.result, runner: runner.result };
      conflicted = written.stale;
    }
  }
  const known = conflicted === jobStream ? undefined : jobRead;
  const requested = await execute(deps, deps.streams.job, jobStream, commands.job, correlationId, known);
  if (requested.outcome === 'rejected') return { requested };
  const fresh = changed(requested) && conflicted !== runnerStream;
  const runner = await executeAll(
    deps,
    deps.streams.runner,
    runnerStream,
    commands.runner,
    correlationId,
    fresh ? { state: initialRunnerState, version: 0 } : undefined,
  );
  return { requested, runner };
}

export function decideRequests(
  deps: ScalerDeps,
  commands: RequestCommands,
  jobRead: KnownStream<JobState>,
  runnerId: RunnerId,
  metadata: ReturnType<typeof metadataNow>,
) {
  const job = decidePart(
    { definition: deps.streams.job, streamId: commands.jobStream, commands: [commands.job], known: jobRead },
    metadata,
  );
  const runner = decidePart(
    {
      definition: deps.streams.runner,
      streamId: runnerStreamId(runnerId),
      commands: commands.runner,
      known: { state: initialRunnerState, version: 0 },
    },
    metadata,
  );
  return [job, runner] as const;
}

/** What a batch settled for one serve-job message before serving it. */
export interface PreparedServe {
  /** The job stream as the batch read it: the first job decision is made on it, unread. */
  readonly job: KnownStream<JobState>;
  /**
   * `held`: the runner holds a slot (reserved by this batch or before); else why none was left.
   * Absent: not reserved here — the only job of its pool in the batch reserves its slot with its
   * requests, in one write (request-runner.ts).
   */
  readonly slot?: 'held' | Extract<PoolRejection, { reason: 'max-runners-reached' }>;
  /**
   * The pool stream as the reservation left it: a job refused here waits on the pool's list
   * decided on this state, so a slot released since makes that append conflict (no lost wake-up).
   */
  readonly pool?: KnownStream<PoolState>;
  /** The job's and the runner's requests, written with the batch's reservation (batch-requests.ts). */
  readonly requests?: Requested;
  /** A stream the batch's write found written since: the job's requests read it again. */
  readonly stale?: string;
  /** Refused a slot and put on the pool's waiting list in the batch's write. */
  readonly waiting?: boolean;
}
