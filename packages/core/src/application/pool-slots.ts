import type { PoolConfig } from '../config/pool-config';
import { poolStreamId } from '../pool/pool.decider';
import type { PoolEvent, WaitingJobWoken } from '../pool/pool.events';
import type { PoolState } from '../pool/pool.state';
import type { IsoTime, RunnerId } from '../shared/brand';
import type { PoolCommand } from '../pool/pool.commands';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import type { KnownStream } from './handle-command';
import type { ScaleUpMessage } from './messages';

/**
 * Slots given back, and the jobs waiting for them (docs/architecture.md, "Waiting for a slot").
 * A job refused at the pool's maximum waits on the pool stream's list; every slot released
 * wakes the oldest waiting job by sending its scale-up message again. A wake lost between the
 * append and the send (a crash) leaves that job queued without a message: the reconciler
 * requeues jobs queued past `jobRetryAfterMinutes` with no recent rejection, which is the
 * safety net.
 */

/**
 * Slots per append: released + woken + handed (reserved) events, three per slot, stay within
 * one store transaction (≤ 99 items with the head).
 */
const RELEASES_PER_APPEND = 30;

/**
 * Gives runners' capacity back to their pool (idempotent) and wakes one waiting job per slot,
 * handing it the slot (reserved for its next runner) while the pool is within its maximum.
 */
export async function releaseSlots(
  deps: ScalerDeps,
  poolId: string,
  runnerIds: readonly RunnerId[],
  correlationId: string,
): Promise<void> {
  const maxRunners = deps.settings.pools.find((candidate) => candidate.id === poolId)?.maxRunners;
  for (let from = 0; from < runnerIds.length; from += RELEASES_PER_APPEND) {
    const result = await execute(
      deps,
      deps.streams.pool,
      poolStreamId(poolId),
      {
        type: 'ReleaseRunnerSlots',
        data: {
          runnerIds: runnerIds.slice(from, from + RELEASES_PER_APPEND),
          at: deps.clock.now(),
          ...(maxRunners === undefined ? {} : { maxRunners }),
        },
      },
      correlationId,
    );
    if (result.outcome === 'accepted') await wake(deps, poolId, result.events, result.version);
  }
}

/** Gives one runner's capacity back to its pool (idempotent), waking a waiting job. */
export async function releaseSlot(
  deps: ScalerDeps,
  poolId: string,
  runnerId: RunnerId,
  correlationId: string,
): Promise<void> {
  await releaseSlots(deps, poolId, [runnerId], correlationId);
}

async function wake(
  deps: ScalerDeps,
  poolId: string,
  events: readonly PoolEvent[],
  version: number,
): Promise<void> {
  const woken = events.filter((event): event is WaitingJobWoken => event.type === 'WaitingJobWoken');
  if (woken.length === 0) return;
  // The jobs this append handed a slot to: their scale-up skips the pool (the slot is theirs).
  const handed = new Set(
    events.flatMap((event) =>
      event.type === 'RunnerSlotReserved' && event.data.jobId !== null ? [event.data.jobId] : [],
    ),
  );
  await deps.scaleUpQueue.send(
    woken.map(({ data }) => {
      const body: ScaleUpMessage = {
        kind: 'serve-job',
        jobId: data.jobId,
        attempt: data.attempt,
        reason: data.reason,
        ...(data.maxAttempts === undefined ? {} : { maxAttempts: data.maxAttempts }),
        wokenBy: poolId,
        ...(handed.has(data.jobId) ? { slotHeld: true } : {}),
      };
      // Unique per wake (the pool version), so a FIFO queue never drops a second wake-up.
      return { body, groupId: data.jobId, dedupId: `${data.jobId}-${data.attempt}-woken-${version}` };
    }),
  );
  deps.metrics.add('WaitingJobsWoken', woken.length, 'Count', { pool: poolId });
}

/**
 * A woken job that needs no slot any more (GitHub gave it to another runner, or it was
 * cancelled while it waited) passes its wake-up to the next waiting job, so the slot it was
 * woken for does not sit free while others wait.
 */
export async function passWakeUp(deps: ScalerDeps, poolId: string, correlationId: string): Promise<void> {
  const pool = deps.settings.pools.find((candidate) => candidate.id === poolId);
  if (!pool) return;
  const result = await execute(
    deps,
    deps.streams.pool,
    poolStreamId(pool.id),
    { type: 'PassWakeUp', data: { maxRunners: pool.maxRunners, at: deps.clock.now() } },
    correlationId,
  );
  if (result.outcome === 'accepted') await wake(deps, pool.id, result.events, result.version);
}

/** The pool command that puts a job refused at the maximum on the waiting list. */
export function waitForSlotCommand(
  deps: ScalerDeps,
  pool: PoolConfig,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  at: IsoTime,
): PoolCommand {
  return {
    type: 'WaitForSlot',
    data: {
      jobId: message.jobId,
      attempt: message.attempt,
      reason: message.reason,
      ...(message.maxAttempts === undefined ? {} : { maxAttempts: message.maxAttempts }),
      maxRunners: pool.maxRunners,
      maxWaiting: deps.options.maxWaitingJobsPerPool,
      at,
    },
  };
}

export type WaitOutcome = 'waiting' | 'slot-free' | 'list-full';

/**
 * Puts a job refused at the maximum on the pool's waiting list. Decided from the state the
 * refusal read (`known`): a slot released since makes the append conflict, and the decision on
 * the fresh read is `slot-free` — so a release can never slip between the refusal and the wait
 * unnoticed (that would be a lost wake-up).
 */
export async function waitForSlot(
  deps: ScalerDeps,
  pool: PoolConfig,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  known: KnownStream<PoolState> | undefined,
  correlationId: string,
): Promise<WaitOutcome> {
  const result = await execute(
    deps,
    deps.streams.pool,
    poolStreamId(pool.id),
    waitForSlotCommand(deps, pool, message, deps.clock.now()),
    correlationId,
    known,
  );
  if (result.outcome === 'accepted') return 'waiting';
  return result.rejection.reason === 'slot-free' ? 'slot-free' : 'list-full';
}
