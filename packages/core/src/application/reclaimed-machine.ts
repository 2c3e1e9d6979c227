import { runnerStreamId } from '../runner/runner.decider';
import { jobsHitByInterruption, runningJobIds } from '../runner/runner.jobs';
import { machineOf, type RunnerState } from '../runner/runner.state';
import { toIso, type IsoTime, type JobId, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import type { KnownStream } from './handle-command';
import { markInterrupted } from './interrupted-jobs';
import { poolById } from './runner-names';

/** AWS gives a spot machine its interruption warning two minutes before it reclaims it. */
const SPOT_NOTICE_MS = 120_000;

/** When the warning of a reclaim at `endedAt` was due: AWS's two-minute notice before it. */
const warnedAt = (endedAt: IsoTime): IsoTime => toIso(Date.parse(endedAt) - SPOT_NOTICE_MS);

/**
 * Must the end of this runner's machine be described to learn whether the cloud reclaimed it?
 * Only where a lost warning would lose a job: a spot machine (EC2 spot, or a Fargate Spot pool's
 * task) not known interrupted, whose end Hangar did not decide (a runner Hangar retires is idle;
 * an ephemeral runner whose job is done ends itself), that runs a job or finished one within the
 * notice before its end — the jobs a warning would have marked interrupted (runner.jobs.ts).
 */
export function reclaimCheckDue(deps: ScalerDeps, state: RunnerState, endedAt: IsoTime): boolean {
  const machine = machineOf(state);
  if (state.status === 'none' || !machine || machine.interruptedAt !== null) return false;
  const spot =
    machine.capacityType === 'spot' ||
    (machine.capacityType === 'fargate' && poolById(deps, state.poolId)?.capacity.type === 'spot');
  if (!spot) return false;
  if (state.status === 'terminated' || (state.status === 'terminating' && state.reason !== 'job-done'))
    return false;
  const since = Date.parse(warnedAt(endedAt));
  return (
    runningJobIds(state).length > 0 || machine.finishedJobs.some((job) => Date.parse(job.finishedAt) >= since)
  );
}

/**
 * The machine of a runner ended, and its spot interruption warning never reached us (EventBridge
 * dropped it after its attempts). The cloud still describes the ended machine with the reason
 * of its end (EC2 keeps a terminated instance listed for about an hour): when it says a spot
 * reclaim, the interruption is recorded on the runner — the very fact the warning records, dated
 * at AWS's two-minute notice before the end — and the jobs it hit are marked, so the rerun logic
 * applies whichever of the job's `completed` and the machine's end came first. Any other end
 * (the runner's own shutdown, someone else's termination) records nothing: a job that failed
 * on its own is not re-run. A failed description throws (`DependencyError`, retryable): the
 * event is delivered again, before the end is recorded.
 */
export async function recordReclaimIfLost(
  deps: ScalerDeps,
  runnerId: RunnerId,
  known: KnownStream<RunnerState>,
  endedAt: IsoTime,
  correlationId: string,
): Promise<KnownStream<RunnerState>> {
  const machine = machineOf(known.state);
  if (known.state.status === 'none' || !machine) return known;
  // Recorded already (by the warning, or by a delivery that crashed before marking its jobs):
  // its jobs are marked again, as a redelivered warning does (a mark decides nothing twice).
  if (machine.interruptedAt !== null) {
    await markHitJobs(deps, runnerId, known.state, correlationId);
    return known;
  }
  if (!reclaimCheckDue(deps, known.state, endedAt)) return known;
  const described = await deps.compute(known.state.compute).findByInstanceId(machine.instanceId);
  if (!described?.spotReclaimed) return known;
  const result = await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    { type: 'RecordSpotInterruption', data: { at: warnedAt(endedAt) } },
    correlationId,
    known,
  );
  const hit = await markHitJobs(deps, runnerId, result.state, correlationId);
  deps.logger.warn('Spot reclaim found at the machine’s end (its interruption warning was lost)', {
    runnerId,
    instanceId: machine.instanceId,
    jobs: hit,
  });
  deps.metrics.add('SpotInterruptionsFoundAtEnd', 1, 'Count');
  return { state: result.state, version: result.version };
}

async function markHitJobs(
  deps: ScalerDeps,
  runnerId: RunnerId,
  state: RunnerState,
  correlationId: string,
): Promise<readonly JobId[]> {
  const hit = jobsHitByInterruption(state);
  for (const jobId of hit) await markInterrupted(deps, jobId, runnerId, state, correlationId);
  return hit;
}
