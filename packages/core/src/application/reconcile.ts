import type { ComputeKind } from '../config/pool-config';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { jobsNeedingRunner, orphanInstances } from '../scaling/reconcile';
import { minutesBetween, RunnerId, toIso, toMillis, type PoolId } from '../shared/brand';
import type { RunnerState } from '../runner/runner.state';
import type { KnownStream } from './handle-command';
import type { ReconcileDeps } from './deps';
import { execute, read } from './execute';
import { requestRerunIfInterrupted } from './rerun';
import { finishRemoval, resumeTermination } from './retire-runner';
import { releaseSlot } from './pool-slots';
import { newReconcileRun, runIsolated, type ReconcileRun, type ReconcileStep } from './reconcile-run';
import { publishWaitingMetrics } from './waiting-metrics';
import { runnerViewsByKey } from './heads';

export type { ReconcileStep } from './reconcile-run';

export interface ReconcileReport {
  readonly jobsWaiting: number;
  readonly jobsRequeued: number;
  readonly rerunsRequested: number;
  readonly deliveriesRedelivered: number;
  readonly instancesTerminated: number;
  readonly secretsDeleted: number;
  readonly slotsReleased: number;
  /** Steps that failed this run (logged, counted as `ReconcileStepFailed`); every other step ran. */
  readonly failedSteps: readonly ReconcileStep[];
}

/**
 * The scheduled safety net for what events alone cannot guarantee: GitHub never retries a
 * failed webhook, launches fail, runners get interrupted or pick up another job, and
 * processes crash between steps. Each step is idempotent and bounded, and independent: one
 * step failing (GitHub refusing a rerun, an API down) is recorded and never skips the others.
 */
export async function reconcile(deps: ReconcileDeps, correlationId: string): Promise<ReconcileReport> {
  const run = newReconcileRun(deps, correlationId);
  const failedSteps = await runIsolated(deps, run, [
    ['redeliver-webhooks', redeliverWebhooks],
    ['requeue-jobs', requeueJobs],
    ['rerun-interrupted-jobs', rerunInterruptedJobs],
    ['terminate-orphan-machines', terminateOrphanMachines],
    ['finish-terminations', finishTerminations],
    ['delete-stale-secrets', deleteStaleSecrets],
    ['release-slots', releaseSlots],
    ['publish-waiting-metrics', publishWaiting],
  ]);
  return { ...run.counts, failedSteps };
}

/** 1. Lost webhooks: ask GitHub to redeliver failed deliveries (within an API budget). */
async function redeliverWebhooks(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  if (deps.options.recoveryMaxGitHubCalls <= 0) return;
  const since = toIso(toMillis(run.now) - deps.options.recoveryLookbackMinutes * 60_000);
  const recovered = await deps.recovery.redeliverFailed(since, deps.options.recoveryMaxGitHubCalls);
  run.counts.deliveriesRedelivered = recovered.redelivered;
}

/** 2. Jobs waiting too long without a working runner get one again. */
async function requeueJobs(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  const { now } = run;
  const jobs = await run.jobs();
  // Ended runners of queued jobs' requests: did they fail, or run another job? (One batch.)
  const requestRunners = new Map(await run.runners());
  const ended = jobs
    .filter((job) => job.status === 'queued')
    .flatMap((job) => job.requests.map((request) => request.runnerId))
    .filter((runnerId) => !requestRunners.has(runnerId));
  for (const [runnerId, view] of await runnerViewsByKey(deps, ended)) requestRunners.set(runnerId, view);
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
    run.counts.jobsRequeued += 1;
    deps.logger.info('Job requeued for a runner', { jobId: need.jobId, reason: need.reason, attempt });
  }
}

/**
 * 3. Interrupted jobs whose rerun was not asked for yet, or GitHub could not do yet. Each job
 * is asked on its own: one job's failure (GitHub down, the App lacking Actions write) does not
 * keep the others from being asked; the step then fails with every failure, so it is alarmed.
 */
async function rerunInterruptedJobs(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  const failures: unknown[] = [];
  for (const job of await run.jobs()) {
    if (job.status !== 'completed') continue;
    try {
      const outcome = await requestRerunIfInterrupted(deps, job.jobId, run.correlationId);
      if (outcome === 'requested') run.counts.rerunsRequested += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    throw new AggregateError(failures, `${failures.length} rerun request(s) failed; first: ${first}`);
  }
}

/** 4. Machines nobody tracks, or whose runner ended: terminate after a grace period. */
async function terminateOrphanMachines(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  const runnersById = await run.runners();
  const kinds = new Set<ComputeKind>(deps.settings.pools.map((pool) => pool.compute));
  for (const kind of kinds) {
    const provider = deps.compute(kind);
    const instances = await provider.list();
    const orphans = orphanInstances({
      instances,
      runnerOf: (id) => runnersById.get(id),
      now: run.now,
      graceMinutes: deps.options.orphanGraceMinutes,
    });
    const machines = orphans.flatMap((orphan) =>
      instances.filter((candidate) => candidate.instanceId === orphan.instanceId),
    );
    // The index may not show a runner requested moments ago (or show one that just ended):
    // the runner's head, read consistently by key (all of them in one batch), has the last
    // word before a machine is killed.
    const fresh = await runnerViewsByKey(
      deps,
      machines.flatMap((instance) => (instance.runnerId ? [instance.runnerId] : [])),
    );
    for (const orphan of orphans) {
      const instance = machines.find((candidate) => candidate.instanceId === orphan.instanceId);
      const runnerId = instance?.runnerId;
      if (!instance || !runnerId) continue;
      const still = orphanInstances({
        instances: [instance],
        runnerOf: () => fresh.get(runnerId),
        now: run.now,
        graceMinutes: deps.options.orphanGraceMinutes,
      });
      if (still.length === 0) continue;
      await provider.terminate(orphan.instanceId);
      run.counts.instancesTerminated += 1;
      deps.logger.warn('Orphan instance terminated', {
        instanceId: orphan.instanceId,
        reason: still[0]?.reason ?? orphan.reason,
      });
    }
  }
}

/** 5. Terminations left half done. */
async function finishTerminations(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  for (const runner of (await run.runners()).values()) {
    if (runner.status === 'terminating') await resumeTermination(deps, runner.runnerId, run.correlationId);
  }
}

/** 6. Secrets of runners that ended (or never existed) and were never read. */
async function deleteStaleSecrets(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  const runnersById = await run.runners();
  const stale = (await deps.secrets.list()).filter(
    (secret) =>
      !runnersById.has(secret.runnerId) &&
      minutesBetween(secret.storedAt, run.now) >= deps.options.orphanGraceMinutes,
  );
  // Not in the index: ended, never existed, or requested moments ago — the runners' heads, read
  // consistently by key in one batch, say which (a head is open while its runner has not ended).
  const heads = await runnerViewsByKey(
    deps,
    stale.map((secret) => secret.runnerId),
  );
  for (const secret of stale) {
    const view = heads.get(secret.runnerId);
    if (view && view.status !== 'terminated' && view.status !== 'launch_failed') continue;
    await deps.secrets.delete(secret);
    run.counts.secretsDeleted += 1;
  }
}

/** 7. Slots held by runners that ended (a crash between termination and release). */
async function releaseSlots(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  const runnersById = await run.runners();
  for (const pool of deps.settings.pools) {
    const { state } = await read(deps, deps.streams.pool, poolStreamId(pool.id));
    for (const [runnerId, slot] of Object.entries(state.slots)) {
      const id = RunnerId(runnerId);
      if (runnersById.has(id) || minutesBetween(slot.at, run.now) < deps.options.orphanGraceMinutes) continue;
      const runnerRead = await read(deps, deps.streams.runner, runnerStreamId(id));
      const runner = runnerRead.state;
      if (runner.status === 'none') {
        // Reserved, never requested (a crash, or the job started meanwhile): give it back —
        // only once no runner can be requested under this id any more (see withdrawRequest).
        if (!(await withdrawRequest(deps, pool.id, id, runnerRead, run.correlationId))) continue;
        await releaseSlot(deps, pool.id, id, run.correlationId);
      } else if (runner.status === 'terminated' || runner.status === 'launch_failed') {
        // Its secret, if any is left, is the stale-secrets step's (it lists what is stored).
        await finishRemoval(deps, runner, run.correlationId, { endedNow: false });
      } else {
        continue;
      }
      run.counts.slotsReleased += 1;
    }
  }
}

/**
 * A scale-up that reserved a slot may come back with it long after the grace period (its
 * invocation timed out twice, or GitHub was down between the reservation and the request) and
 * request the runner while this step releases the slot: the runner would run without one (a
 * pool at max + 1). So the step claims the id on the runner stream first, at the version it
 * read the stream empty at: a request appended meanwhile makes this conflict and be refused
 * (the slot stays the runner's); once it is recorded, `RequestRunner` is refused for this id,
 * and the late scale-up launches nothing. Already withdrawn (a crash before the release): released now.
 */
async function withdrawRequest(
  deps: ReconcileDeps,
  poolId: PoolId,
  runnerId: RunnerId,
  known: KnownStream<RunnerState>,
  correlationId: string,
): Promise<boolean> {
  const withdrawn = await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    { type: 'WithdrawRunnerRequest', data: { poolId, at: deps.clock.now() } },
    correlationId,
    known,
  );
  return withdrawn.outcome === 'accepted';
}

/** 8. Why jobs wait, as metrics (the reasons `hangar waiting` states). */
async function publishWaiting(deps: ReconcileDeps, run: ReconcileRun): Promise<void> {
  run.counts.jobsWaiting = await publishWaitingMetrics(deps, await run.jobHeads());
}
