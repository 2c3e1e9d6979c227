import type { PoolConfig } from '../config/pool-config';
import { jobStreamId } from '../job/job.decider';
import type { JobState } from '../job/job.state';
import { poolStreamId } from '../pool/pool.decider';
import { routeJob } from '../scaling/label-matching';
import type { IsoTime, JobId, RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';
import { preparedFrom, reserveWithRequests, type BatchCandidate } from './batch-requests';
import type { PreparedServe } from './request-runner';
import type { KnownStream } from './handle-command';
import type { ScaleUpMessage } from './messages';

export type { PreparedServe } from './request-runner';

/** Prepared messages by `serveKey`; a message absent here is served the one-by-one way. */
export type BatchPreparation = ReadonlyMap<string, PreparedServe>;

export const serveKey = (jobId: JobId, attempt: number): string => `${jobId}#${attempt}`;

type Candidate = BatchCandidate;

/**
 * Reserves the slots of a whole scale-up batch with ONE append per pool instead of one per
 * job: a burst on one pool then costs one pool-stream write per batch, and concurrent batches
 * race on the pool stream a tenth as often. The cap stays atomic: the append carries every
 * reservation at the version read, so a racing batch or release makes it conflict and the
 * whole batch is decided again on a fresh read (`ReserveRunnerSlots`, pool.decider.ts).
 *
 * Only first-time requests of queued, routable jobs are prepared; anything else (a resumed
 * request, a stale attempt, an unroutable job) is left to `scaleUp`, which handles it alone.
 */
export async function prepareScaleUpBatch(
  deps: ScalerDeps,
  messages: readonly ScaleUpMessage[],
  runnerIdFor: (jobId: JobId, attempt: number) => RunnerId,
  correlationId: string,
): Promise<BatchPreparation> {
  const byPool = new Map<string, { pool: PoolConfig; candidates: Candidate[] }>();
  const seen = new Set<string>();
  const serve = messages.filter((m): m is Extract<ScaleUpMessage, { kind: 'serve-job' }> => {
    const key = m.kind === 'serve-job' ? serveKey(m.jobId, m.attempt) : '';
    if (m.kind !== 'serve-job' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const handed = new Map<string, PreparedServe>();
  // A message from the webhook carries the job as it was written: no read (messages.ts).
  const reads = await Promise.all(
    serve.map((m) => m.job ?? read(deps, deps.streams.job, jobStreamId(m.jobId))),
  );
  serve.forEach((message, i) => {
    const job = reads[i] as KnownStream<JobState>;
    const { state } = job;
    if (state.status !== 'queued' || state.info === null) return;
    if (message.attempt !== state.requests.length + 1) return;
    const route = routeJob(state.info, deps.settings);
    if (route.kind === 'unroutable') return;
    const key = serveKey(message.jobId, message.attempt);
    // Woken with a slot handed over (pool.waiting.ts): the slot is its own, the pool is not read.
    if (message.slotHeld && message.wokenBy === route.pool.id) {
      handed.set(key, { job, slot: 'held' });
      return;
    }
    const entry = byPool.get(route.pool.id) ?? { pool: route.pool, candidates: [] };
    const runnerId = runnerIdFor(state.info.jobId, message.attempt);
    entry.candidates.push({
      key,
      runnerId,
      jobId: state.info.jobId,
      job,
      message,
    });
    byPool.set(route.pool.id, entry);
  });
  const prepared = new Map<string, PreparedServe>(handed);
  const now = deps.clock.now();
  await Promise.all(
    [...byPool.values()].map(async ({ pool, candidates }) => {
      const [only] = candidates;
      if (candidates.length === 1 && only) return void prepared.set(only.key, { job: only.job });
      for (const [key, value] of await reserveAll(deps, pool, candidates, now, correlationId))
        prepared.set(key, value);
    }),
  );
  return prepared;
}

async function reserveAll(
  deps: ScalerDeps,
  pool: PoolConfig,
  candidates: readonly Candidate[],
  at: IsoTime,
  correlationId: string,
): Promise<Map<string, PreparedServe>> {
  const together = await reserveWithRequests(deps, pool, candidates, at, correlationId);
  if (together.kind === 'written') return together.prepared;
  const result = await execute(
    deps,
    deps.streams.pool,
    poolStreamId(pool.id),
    {
      type: 'ReserveRunnerSlots',
      data: {
        requests: candidates.map(({ runnerId, jobId }) => ({ runnerId, jobId })),
        maxRunners: pool.maxRunners,
        at,
      },
    },
    correlationId,
    together.known,
  );
  return preparedFrom(pool, candidates, { state: result.state, version: result.version }, together.stale);
}
