import type { PoolConfig } from '../config/pool-config';
import { jobStreamId } from '../job/job.decider';
import type { JobState } from '../job/job.state';
import type { CapacityType } from '../runner/runner.events';
import { minutesBetween, type IsoTime, type JobId, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import type { ScaleUpMessage } from './messages';
import type { RequestCommands } from './request-runner';

/** What serving a job decides before any write: whether to ask GitHub, and what to append. */

/**
 * Is asking GitHub whether the job is still queued worth a call? Only where the answer can
 * change what we do: a fresh job's `completed` (a cancellation) reaches its stream through the
 * webhook within seconds, and a lost one is redelivered by the reconciler, so the question only
 * matters for a job that has waited longer than that, or a request the reconciler made again
 * (it carries a `cause`: the job's runner failed, stalled, was interrupted or never came). A
 * request sent again because another job took the runner (taken-runner.ts: reason `reconcile`,
 * no cause) is a job like any other queued one: the same age rule applies. (A reconciler request
 * woken from a pool's waiting list no longer carries its cause; it was made after
 * `jobRetryAfterMinutes`, 10 by default, so it has waited the default threshold anyway.)
 */
export function jobQueuedCheckNeeded(
  deps: Pick<ScalerDeps, 'clock' | 'options'>,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  job: Extract<JobState, { status: 'queued' }>,
): boolean {
  const runnerTaken = message.reason === 'reconcile' && message.cause === undefined;
  if (message.reason !== 'queued' && !runnerTaken) return true;
  const queuedFor = job.queuedAt ? minutesBetween(job.queuedAt, deps.clock.now()) : 0;
  return queuedFor * 60 >= deps.options.jobQueuedCheckAfterSeconds;
}

/** What serving the job writes: the job's runner request and the runner's own. */
export function requestCommands(
  deps: ScalerDeps,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  pool: PoolConfig,
  jobId: JobId,
  runnerId: RunnerId,
  now: IsoTime,
): RequestCommands {
  return {
    jobStream: jobStreamId(message.jobId),
    job: {
      type: 'RequestRunnerForJob',
      data: {
        runnerId,
        poolId: pool.id,
        attempt: message.attempt,
        reason: message.reason,
        maxAttempts: message.maxAttempts ?? deps.settings.maxRunnerRequestsPerJob,
        at: now,
        ...(message.cause ? { cause: message.cause } : {}),
      },
    },
    runner: [
      {
        type: 'RequestRunner',
        data: {
          runnerId,
          poolId: pool.id,
          jobId,
          ephemeral: pool.ephemeral,
          compute: pool.compute,
          // Drawn on every try, kept only by the first RunnerRequested: a redelivery reuses it.
          secretSuffix: deps.ids.unguessable(),
          at: now,
        },
      },
      // Requested and its first launch attempt started in one append (nothing happens between).
      { type: 'StartLaunch', data: { capacityType: firstCapacityType(pool), at: now } },
    ],
  };
}

/** The capacity a runner's first launch attempt asks for. */
export function firstCapacityType(pool: PoolConfig): CapacityType {
  return pool.compute === 'fargate' ? 'fargate' : pool.capacity.type;
}
