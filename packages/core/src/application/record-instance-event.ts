import { runnerStreamId } from '../runner/runner.decider';
import { machineOf, type RunnerState } from '../runner/runner.state';
import { mayRunUnseenJob } from '../scaling/scale-down';
import { unseenStarts } from '../scaling/unseen-starts';
import { jobsThatMayHoldRunners } from './recent-jobs';
import { poolById } from './scale-up';
import { runnerView } from './streams';
import { jobsHitByInterruption } from '../runner/runner.jobs';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { changed, execute } from './execute';
import type { InstanceEvent } from './messages';
import { markInterrupted } from './interrupted-jobs';
import { completeTermination, finishRemoval } from './retire-runner';
import { runnerByInstance } from './runner-lookup';

export type InstanceEventOutcome =
  | { readonly kind: 'not-our-instance' }
  | { readonly kind: 'recorded'; readonly runnerId: RunnerId; readonly detail: string }
  | { readonly kind: 'ignored'; readonly detail: string };

/** Does a spot-warned runner with a registration risk a job GitHub does not report yet? */
async function mayRunUnseenJobNow(deps: ScalerDeps, state: RunnerState): Promise<boolean> {
  const view = runnerView(state);
  const pool = view ? poolById(deps, view.poolId) : undefined;
  const machine = machineOf(state);
  // A registration GitHub created may be in use even before we recorded it issued.
  if (!view || !pool || !machine || (machine.registration === null && !machine.registering?.created))
    return false;
  const now = deps.clock.now();
  const lag = deps.options.busyFlagLagSeconds;
  return mayRunUnseenJob(view, now, lag, unseenStarts(pool, await jobsThatMayHoldRunners(deps, now, lag)));
}

/**
 * EC2 tells us about machines (EventBridge): a spot interruption warning marks the runner
 * and the jobs it may have killed interrupted (re-run once GitHub reports them failed, see
 * interrupted-jobs.ts) and starts the removal; a terminated machine ends its runner, frees
 * its slot and its secret.
 */
export async function recordInstanceEvent(
  deps: ScalerDeps,
  event: InstanceEvent,
  correlationId: string,
): Promise<InstanceEventOutcome> {
  // A spot warning is the only notice of an interruption: if the index does not show the machine
  // yet, the pools' runners are searched on their streams. A terminated machine the index misses
  // is ended by scale-down (boot timeout or lost registration) instead.
  const runnerId = await runnerByInstance(deps, event.instanceId, {
    searchPools: event.kind === 'spot-interruption',
  });
  if (!runnerId) return { kind: 'not-our-instance' };
  const stream = runnerStreamId(runnerId);
  if (event.kind === 'spot-interruption') {
    const result = await execute(
      deps,
      deps.streams.runner,
      stream,
      { type: 'RecordSpotInterruption', data: { at: event.at } },
      correlationId,
    );
    const state = result.state;
    const hit = jobsHitByInterruption(state);
    for (const jobId of hit) await markInterrupted(deps, jobId, runnerId, state, correlationId);
    deps.metrics.add('SpotInterruptions', 1, 'Count');
    // A busy runner cannot be deregistered; its termination follows from the state change.
    // Nor can one that may have taken a job GitHub does not report yet (its busy flag lags):
    // deleting it would kill a job that might still finish before the reclaim.
    if (state.status !== 'busy' && !(await mayRunUnseenJobNow(deps, state))) {
      const retire = await execute(
        deps,
        deps.streams.runner,
        stream,
        { type: 'RequestTermination', data: { reason: 'spot-interruption', at: event.at } },
        correlationId,
      );
      if (retire.outcome === 'accepted')
        await completeTermination(deps, retire.state, correlationId, {}, retire);
    }
    return {
      kind: 'recorded',
      runnerId,
      detail: hit.length > 0 ? `jobs ${hit.join(', ')} interrupted` : 'runner interrupted',
    };
  }
  if (event.state !== 'terminated' && event.state !== 'shutting-down') {
    return { kind: 'ignored', detail: `state ${event.state}` };
  }
  const result = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RecordInstanceTerminated', data: { at: event.at } },
    correlationId,
  );
  await finishRemoval(deps, result.state, correlationId, { endedNow: changed(result) });
  return { kind: 'recorded', runnerId, detail: 'instance terminated' };
}
