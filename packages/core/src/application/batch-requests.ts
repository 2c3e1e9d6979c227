import type { PoolConfig } from '../config/pool-config';
import type { JobState } from '../job/job.state';
import type { PoolCommand } from '../pool/pool.commands';
import { poolStreamId } from '../pool/pool.decider';
import type { PoolState } from '../pool/pool.state';
import { minutesBetween, type IsoTime, type JobId, type RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import { decidePart, metadataNow, writeTogether, type DecidedPart } from './write-together';
import type { KnownStream } from './handle-command';
import type { ScaleUpMessage } from './messages';
import { decideRequests, type PreparedServe, type Requested } from './request-runner';
import { waitForSlotCommand } from './pool-slots';
import { jobQueuedCheckNeeded, requestCommands } from './serve-commands';

/**
 * The most jobs one batch write carries (an SQS batch is at most 10 messages). Each adds at most
 * 6 items to a DynamoDB transaction (its reservation or wait on the pool; the job's head and
 * request; the runner's head, request and launch attempt), the pool's head 1 more: 61, within
 * 100. A larger batch reserves the old way (one pool append, then each job's requests).
 */
export const JOBS_PER_BATCH_WRITE = 10;

/** A first-time serve-job message of a batch, with its job read and the runner id it would get. */
export interface BatchCandidate {
  readonly key: string;
  readonly runnerId: RunnerId;
  readonly jobId: JobId;
  readonly job: KnownStream<JobState>;
  readonly message: Extract<ScaleUpMessage, { kind: 'serve-job' }>;
}

export type BatchWrite =
  | { readonly kind: 'written'; readonly prepared: Map<string, PreparedServe> }
  /** Nothing written: reserve alone (on `known` when still current), then request job by job. */
  | { readonly kind: 'apart'; readonly known?: KnownStream<PoolState>; readonly stale?: string };

/**
 * A batch's reservation on one pool and, for each job that got a slot and needs no job-queued
 * check first, the job's and the runner's requests — ONE atomic write (write-together.ts), decided
 * on the pool read now and on the job states the batch holds. The cap is the pool's version
 * check inside it, as for the reservation alone; any stream written since fails the whole
 * write, nothing is recorded, and the batch takes the old path (request-runner.ts: crash safety).
 */
export async function reserveWithRequests(
  deps: ScalerDeps,
  pool: PoolConfig,
  candidates: readonly BatchCandidate[],
  at: IsoTime,
  correlationId: string,
): Promise<BatchWrite> {
  if (candidates.length > JOBS_PER_BATCH_WRITE) return { kind: 'apart' };
  const poolStream = poolStreamId(pool.id);
  const poolRead = await read(deps, deps.streams.pool, poolStream);
  const { commands: poolCommands, waiting } = poolDecisions(deps, pool, candidates, poolRead.state, at);
  // Nothing to record (every slot taken and every refused job on the list already, or held):
  // decided on the read just made.
  if (poolCommands.length === 0)
    return { kind: 'written', prepared: preparedFrom(pool, candidates, poolRead) };
  const metadata = metadataNow(deps, correlationId);
  const known = {
    definition: deps.streams.pool,
    streamId: poolStream,
    commands: poolCommands,
    known: poolRead,
  };
  const slots = decidePart(known, metadata);
  if (!slots) return { kind: 'apart', known: poolRead };
  const reserved = new Set(
    slots.result.events.flatMap((event) =>
      event.type === 'RunnerSlotReserved' ? [event.data.runnerId] : [],
    ),
  );
  const parts: DecidedPart<unknown, unknown, unknown>[] = [slots as DecidedPart<unknown, unknown, unknown>];
  const requests = new Map<string, Requested>();
  for (const candidate of candidates) {
    if (!reserved.has(candidate.runnerId)) continue;
    const { state } = candidate.job;
    if (state.status !== 'queued') continue;
    if (pool.jobQueuedCheck && jobQueuedCheckNeeded(deps, candidate.message, state)) continue;
    const commands = requestCommands(deps, candidate.message, pool, candidate.jobId, candidate.runnerId, at);
    const [job, runner] = decideRequests(deps, commands, candidate.job, candidate.runnerId, metadata);
    if (!job || !runner) continue;
    parts.push(
      job as DecidedPart<unknown, unknown, unknown>,
      runner as DecidedPart<unknown, unknown, unknown>,
    );
    requests.set(candidate.key, { requested: job.result, runner: runner.result });
  }
  const written = await writeTogether(deps, parts);
  if (written.kind === 'apart')
    return {
      kind: 'apart',
      ...(written.stale === poolStream ? {} : { known: poolRead }),
      ...(written.stale === undefined ? {} : { stale: written.stale }),
    };
  const after = { state: slots.result.state, version: slots.result.version };
  return { kind: 'written', prepared: preparedFrom(pool, candidates, after, undefined, requests, waiting) };
}

/**
 * The pool's part of the batch's write: its reservations (`ReserveRunnerSlots`, as before), then
 * — decided on the pool as they leave it — a `WaitForSlot` for each job they refused that
 * scale-up would put on the waiting list (queued, not past the queue limit, the list not full).
 * Each job waited in its own append before, decided on the same state: ten refused jobs made
 * ten appends that conflicted with one another. A release since the read makes the whole write
 * conflict, so a wait can still never miss a release (pool-slots.ts, `waitForSlot`).
 */
function poolDecisions(
  deps: ScalerDeps,
  pool: PoolConfig,
  candidates: readonly BatchCandidate[],
  state: PoolState,
  at: IsoTime,
): { readonly commands: PoolCommand[]; readonly waiting: ReadonlySet<string> } {
  const decider = deps.streams.pool.decider;
  const commands: PoolCommand[] = [];
  const waiting = new Set<string>();
  let current = state;
  const take = (command: PoolCommand): boolean => {
    const decision = decider.decide(command, current);
    if (decision.kind !== 'accepted' || decision.events.length === 0) return false;
    commands.push(command);
    current = fold(decider, decision.events, current);
    return true;
  };
  take({
    type: 'ReserveRunnerSlots',
    data: {
      requests: candidates.map(({ runnerId, jobId }) => ({ runnerId, jobId })),
      maxRunners: pool.maxRunners,
      at,
    },
  });
  for (const { key, runnerId, job, message } of candidates) {
    if (current.slots[runnerId] || job.state.status !== 'queued' || job.state.info === null) continue;
    const queuedFor = job.state.queuedAt ? minutesBetween(job.state.queuedAt, at) : 0;
    // Past the queue limit the job gives up instead of waiting (scale-up.ts, deferForCapacity).
    if (queuedFor >= deps.settings.jobQueueLimitMinutes) continue;
    const wait = waitForSlotCommand(deps, pool, message, at);
    if (take(wait)) waiting.add(key);
  }
  return { commands, waiting };
}

/** Each candidate's slot as the pool stands after the batch's reservation. */
export function preparedFrom(
  pool: PoolConfig,
  candidates: readonly Pick<BatchCandidate, 'key' | 'runnerId' | 'job'>[],
  after: KnownStream<PoolState>,
  stale?: string,
  requests?: ReadonlyMap<string, Requested>,
  waiting?: ReadonlySet<string>,
): Map<string, PreparedServe> {
  const { slots, alive } = after.state;
  const full = { reason: 'max-runners-reached', alive, max: pool.maxRunners } as const;
  return new Map(
    candidates.map((c) => {
      const written = requests?.get(c.key);
      const entry: PreparedServe = {
        job: c.job,
        slot: slots[c.runnerId] ? 'held' : full,
        pool: after,
        ...(written ? { requests: written } : {}),
        ...(waiting?.has(c.key) ? { waiting: true } : {}),
        ...(stale === undefined ? {} : { stale }),
      };
      return [c.key, entry] as const;
    }),
  );
}
