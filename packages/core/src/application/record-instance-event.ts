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
import { changed, execute, read } from './execute';
import { recordReclaimIfLost } from './reclaimed-machine';
import type { InstanceEvent } from './messages';
import { markInterrupted } from './interrupted-jobs';
import { completeTermination, finishRemoval } from './retire-runner';
import { runnerByInstance, runnerIdOfHead } from './runner-lookup';
import { runnerViewOf } from './heads';
import { adoptMachine } from './adopt-machine';

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
  if (event.kind === 'state-change') return recordMachineEnded(deps, event, correlationId);
  // A spot warning is the only notice of an interruption: if the index does not show the machine
  // yet, the pools' runners are searched on their streams, and a machine none of them records
  // is described by its id — its tags name the runner it was launched for (adopt-machine.ts).
  const runnerId =
    (await runnerByInstance(deps, event.instanceId, { searchPools: true })) ??
    (await adoptMachine(deps, event.instanceId, correlationId));
  if (!runnerId) return { kind: 'not-our-instance' };
  const stream = runnerStreamId(runnerId);
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
      { state, version: result.version },
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

/**
 * A machine that is going away ends its runner, frees its slot and its secret — after learning
 * whether a spot reclaim whose warning was lost ended it (reclaimed-machine.ts). Other states
 * decide nothing, so they are not looked up. A terminated machine the index misses is ended by
 * scale-down (boot timeout or lost registration). A head that shows the runner terminated is
 * final however stale the index is (a terminated runner never changes again): whoever recorded
 * that end released its slot right after, or — if it crashed in between — the reconciler's
 * release-slots step does, so the event reads nothing more (the usual case: an ephemeral runner
 * retired on its job's `completed`, whose machine's `terminated` arrives afterwards).
 */
async function recordMachineEnded(
  deps: ScalerDeps,
  event: Extract<InstanceEvent, { kind: 'state-change' }>,
  correlationId: string,
): Promise<InstanceEventOutcome> {
  if (event.state !== 'terminated' && event.state !== 'shutting-down') {
    return { kind: 'ignored', detail: `state ${event.state}` };
  }
  // A machine's `shutting-down` and `terminated` both come here: the second finds the first's
  // answer in this process (a terminated runner never changes, so it cannot be stale).
  const ended = deps.recent?.endedRunner(event.instanceId);
  if (ended) return { kind: 'recorded', runnerId: ended, detail: 'runner already ended' };
  const head = await deps.index.findByLookupKey('runner', event.instanceId);
  if (!head) return { kind: 'not-our-instance' };
  const runnerId = runnerIdOfHead(head);
  if (runnerViewOf(head).status === 'terminated') {
    deps.recent?.rememberEnded(event.instanceId, runnerId);
    return { kind: 'recorded', runnerId, detail: 'runner already ended' };
  }
  const stream = runnerStreamId(runnerId);
  // Its spot warning may have been lost: the ended machine says whether a reclaim ended it.
  const before = await read(deps, deps.streams.runner, stream);
  const known = await recordReclaimIfLost(deps, runnerId, before, event.at, correlationId);
  const result = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RecordInstanceTerminated', data: { at: event.at } },
    correlationId,
    known,
  );
  await finishRemoval(deps, result.state, correlationId, { endedNow: changed(result) });
  if (result.state.status === 'terminated') deps.recent?.rememberEnded(event.instanceId, runnerId);
  return { kind: 'recorded', runnerId, detail: 'instance terminated' };
}
