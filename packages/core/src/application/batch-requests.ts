import type { PoolConfig } from '../config/pool-config';
import type { JobState } from '../job/job.state';
import type { PoolCommand } from '../pool/pool.commands';
import { poolStreamId } from '../pool/pool.decider';
import type { PoolState } from '../pool/pool.state';
import type { IsoTime, JobId, RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import { decidePart, metadataNow, writeTogether, type DecidedPart } from './execute-pair';
import type { KnownStream } from './handle-command';
import type { ScaleUpMessage } from './messages';
import { decideRequests, type PreparedServe, type Requested } from './request-runner';
import { jobQueuedCheckNeeded, requestCommands } from './serve-commands';

/**
 * Jobs whose requests go in one write with their batch's reservation. Each job adds 6 items to
 * a DynamoDB transaction (an event on the pool; the job's head and request; the runner's head,
 * request and launch attempt), the pool's head 1 more: 10 jobs are 61 items, within 100.
 */
export const JOBS_PER_BATCH_WRITE = 10;

interface BatchCandidate {
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
 * check first, the job's and the runner's requests — ONE atomic write (execute-pair.ts), decided
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
  const poolStream = poolStreamId(pool.id);
  const poolRead = await read(deps, deps.streams.pool, poolStream);
  const command: PoolCommand = {
    type: 'ReserveRunnerSlots',
    data: {
      requests: candidates.map(({ runnerId, jobId }) => ({ runnerId, jobId })),
      maxRunners: pool.maxRunners,
      at,
    },
  };
  const metadata = metadataNow(deps, correlationId);
  const known = { definition: deps.streams.pool, streamId: poolStream, commands: [command], known: poolRead };
  const slots = decidePart(known, metadata);
  // Nothing to reserve (every slot taken, or already held): decided on the read just made.
  if (!slots) return { kind: 'written', prepared: preparedFrom(pool, candidates, poolRead) };
  const reserved = new Set(
    slots.result.events.flatMap((event) =>
      event.type === 'RunnerSlotReserved' ? [event.data.runnerId] : [],
    ),
  );
  const parts: DecidedPart<unknown, unknown, unknown>[] = [slots as DecidedPart<unknown, unknown, unknown>];
  const requests = new Map<string, Requested>();
  for (const candidate of candidates) {
    if (requests.size >= JOBS_PER_BATCH_WRITE || !reserved.has(candidate.runnerId)) continue;
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
  if (requests.size === 0) return { kind: 'apart', known: poolRead };
  const written = await writeTogether(deps, parts);
  if (written.kind === 'apart')
    return {
      kind: 'apart',
      ...(written.stale === poolStream ? {} : { known: poolRead }),
      ...(written.stale === undefined ? {} : { stale: written.stale }),
    };
  const after = { state: slots.result.state, version: slots.result.version };
  return { kind: 'written', prepared: preparedFrom(pool, candidates, after, undefined, requests) };
}

/** Each candidate's slot as the pool stands after the batch's reservation. */
export function preparedFrom(
  pool: PoolConfig,
  candidates: readonly Pick<BatchCandidate, 'key' | 'runnerId' | 'job'>[],
  after: KnownStream<PoolState>,
  stale?: string,
  requests?: ReadonlyMap<string, Requested>,
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
        ...(stale === undefined ? {} : { stale }),
      };
      return [c.key, entry] as const;
    }),
  );
}
