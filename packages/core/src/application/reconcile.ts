import type { ComputeKind } from '../config/pool-config';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { jobsNeedingRunner, orphanInstances } from '../scaling/reconcile';
import type { RunnerView } from '../scaling/views';
import { minutesBetween, RunnerId, toIso, toMillis } from '../shared/brand';
import type { ReconcileDeps } from './deps';
import { read } from './execute';
import { runnerView } from './streams';
import { openJobs, openRunners } from './heads';
import { requestRerunIfInterrupted } from './rerun';
import { finishRemoval, resumeTermination } from './retire-runner';
import { releaseSlot } from './scale-up';
import { publishWaitingMetrics } from './waiting-metrics';

export interface ReconcileReport {
  readonly jobsWaiting: number;
  readonly jobsRequeued: number;
  readonly rerunsRequested: number;
  readonly deliveriesRedelivered: number;
  readonly instancesTerminated: number;
  readonly secretsDeleted: number;
  readonly slotsReleased: number;
}

/**
 * The scheduled safety net for what events alone cannot guarantee: GitHub never retries a
 * failed webhook, launches fail, runners get interrupted or pick up another job, and
 * processes crash between steps. Each part is idempotent and bounded.
 */
export async function reconcile(deps: ReconcileDeps, correlationId: string): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const runners = await openRunners(deps);
  const runnersById = new Map<RunnerId, RunnerView>(runners.map((runner) => [runner.runnerId, runner]));

  // 1. Lost webhooks: ask GitHub to redeliver failed deliveries (within an API budget).
  let deliveriesRedelivered = 0;
  if (deps.options.recoveryMaxGitHubCalls > 0) {
    try {
      const since = toIso(toMillis(now) - deps.options.recoveryLookbackMinutes * 60_000);
      const recovered = await deps.recovery.redeliverFailed(since, deps.options.recoveryMaxGitHubCalls);
      deliveriesRedelivered = recovered.redelivered;
    } catch (error) {
      deps.logger.warn('Webhook redelivery failed; will try next run', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  // 2. Jobs waiting too long without a working runner get one again.
  const jobs = await openJobs(deps);
  // Ended runners of queued jobs' requests: did they fail, or run another job?
  const requestRunners = new Map(runnersById);
  for (const job of jobs) {
    if (job.status !== 'queued') continue;
    for (const request of job.requests) {
      if (requestRunners.has(request.runnerId)) continue;
      const view = runnerView(
        (await read(deps, deps.streams.runner, runnerStreamId(request.runnerId))).state,
      );
      if (view) requestRunners.set(request.runnerId, view);
    }
  }
  const needs = jobsNeedingRunner({ jobs, runners: requestRunners, settings: deps.settings, now });
  for (const need of needs) {
    const job = jobs.find((candidate) => candidate.jobId === need.jobId);
    const attempt = (job?.requests.length ?? 0) + 1;
    await deps.scaleUpQueue.send([
      {
        body: {
          kind: 'serve-job',
          jobId: need.jobId,
          attempt,
          reason: need.reason === 'runner-interrupted' ? 'interrupted' : 'reconcile',
          cause: need.reason,
          maxAttempts: need.maxAttempts,
        },
        groupId: need.jobId,
        dedupId: `${need.jobId}-${attempt}`,
      },
    ]);
    deps.logger.info('Job requeued for a runner', { jobId: need.jobId, reason: need.reason, attempt });
  }

  // 3. Interrupted jobs whose rerun was not asked for yet.
  let rerunsRequested = 0;
  for (const job of jobs) {
    if (job.status !== 'completed') continue;
    if ((await requestRerunIfInterrupted(deps, job.jobId, correlationId)) === 'requested')
      rerunsRequested += 1;
  }

  // 4. Machines nobody tracks, or whose runner ended: terminate after a grace period.
  let instancesTerminated = 0;
  const kinds = new Set<ComputeKind>(deps.settings.pools.map((pool) => pool.compute));
  for (const kind of kinds) {
    const provider = deps.compute(kind);
    const instances = await provider.list();
    const orphans = orphanInstances({
      instances,
      runnerOf: (id) => runnersById.get(id),
      now,
      graceMinutes: deps.options.orphanGraceMinutes,
    });
    for (const orphan of orphans) {
      await provider.terminate(orphan.instanceId);
      instancesTerminated += 1;
      deps.logger.warn('Orphan instance terminated', {
        instanceId: orphan.instanceId,
        reason: orphan.reason,
      });
    }
  }

  // 5. Terminations left half done.
  for (const runner of runners) {
    if (runner.status === 'terminating') await resumeTermination(deps, runner.runnerId, correlationId);
  }

  // 6. Secrets of runners that ended (or never existed) and were never read.
  let secretsDeleted = 0;
  for (const secret of await deps.secrets.list()) {
    if (runnersById.has(secret.runnerId)) continue;
    if (minutesBetween(secret.storedAt, now) < deps.options.orphanGraceMinutes) continue;
    await deps.secrets.delete(secret.runnerId);
    secretsDeleted += 1;
  }

  // 7. Slots held by runners that ended (a crash between termination and release).
  let slotsReleased = 0;
  for (const pool of deps.settings.pools) {
    const { state } = await read(deps, deps.streams.pool, poolStreamId(pool.id));
    for (const [runnerId, slot] of Object.entries(state.slots)) {
      const id = RunnerId(runnerId);
      if (runnersById.has(id) || minutesBetween(slot.at, now) < deps.options.orphanGraceMinutes) continue;
      const { state: runner } = await read(deps, deps.streams.runner, runnerStreamId(id));
      if (runner.status === 'none') {
        // Reserved, never requested (a crash, or the job started meanwhile): give it back.
        await releaseSlot(deps, pool.id, id, correlationId);
      } else if (runner.status === 'terminated' || runner.status === 'launch_failed') {
        await finishRemoval(deps, runner, correlationId);
      } else {
        continue;
      }
      slotsReleased += 1;
    }
  }
  // 8. Why jobs wait, as metrics (the reasons `hangar waiting` states).
  const jobsWaiting = await publishWaitingMetrics(deps);
  return {
    jobsWaiting,
    jobsRequeued: needs.length,
    rerunsRequested,
    deliveriesRedelivered,
    instancesTerminated,
    secretsDeleted,
    slotsReleased,
  };
}
