import type { TerminationReason } from '../runner/runner.events';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf, secretRefOf, type RunnerState } from '../runner/runner.state';
import type { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';
import { machinelessLaunchesSettled } from './launch-step';
import { poolById, releaseSlot, scopeFor } from './scale-up';

export type RetireOutcome =
  | { readonly kind: 'retired'; readonly runnerId: RunnerId }
  /** GitHub gave it a job between our decision and the deregistration: it stays. */
  | { readonly kind: 'kept-busy'; readonly runnerId: RunnerId }
  | { readonly kind: 'not-retired'; readonly runnerId: RunnerId; readonly detail: string };

/**
 * Removes a runner safely, in the order that protects jobs:
 * 1. decide termination on the runner stream (refused while busy);
 * 2. deregister from GitHub — GitHub's own check: a busy runner cannot be deleted (`busy`),
 *    and a job start recorded meanwhile cancels the termination;
 * 3. terminate the machine, record it, give the slot back, delete the secret.
 * Each step is idempotent, so a crash anywhere is finished by the next run.
 */
export async function retireRunner(
  deps: ScalerDeps,
  runnerId: RunnerId,
  reason: TerminationReason,
  correlationId: string,
): Promise<RetireOutcome> {
  const stream = runnerStreamId(runnerId);
  const decided = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RequestTermination', data: { reason, at: deps.clock.now() } },
    correlationId,
  );
  if (decided.outcome === 'rejected') {
    if (decided.rejection.reason === 'runner-ended') {
      await finishRemoval(deps, decided.state, correlationId);
    }
    return { kind: 'not-retired', runnerId, detail: decided.rejection.reason };
  }
  return completeTermination(deps, decided.state, correlationId);
}

/** Steps 2–3 for a runner already `terminating` (also used to finish after a crash). */
export async function completeTermination(
  deps: ScalerDeps,
  state: RunnerState,
  correlationId: string,
): Promise<RetireOutcome> {
  if (state.status !== 'terminating') {
    if (state.status === 'none')
      return { kind: 'not-retired', runnerId: '' as RunnerId, detail: 'unknown runner' };
    if (state.status === 'terminated' || state.status === 'launch_failed') {
      await finishRemoval(deps, state, correlationId);
      return { kind: 'retired', runnerId: state.runnerId };
    }
    return { kind: 'not-retired', runnerId: state.runnerId, detail: `runner is ${state.status}` };
  }
  const stream = runnerStreamId(state.runnerId);
  const machine = state.machine;
  if (!state.deregistered && machine?.registration) {
    const pool = poolById(deps, state.poolId);
    const githubRunnerId =
      machine.registration.githubRunnerId ?? (pool ? await findRegistration(deps, state) : null);
    if (pool && githubRunnerId !== null) {
      const scope = scopeFor(pool);
      const outcome = await deps.registry.deleteRunner(scope, githubRunnerId);
      if (outcome === 'busy') {
        await execute(
          deps,
          deps.streams.runner,
          stream,
          { type: 'RecordRunnerJobStarted', data: { jobId: null, at: deps.clock.now() } },
          correlationId,
        );
        deps.logger.info('Runner became busy before deregistration; kept', { runnerId: state.runnerId });
        return { kind: 'kept-busy', runnerId: state.runnerId };
      }
    }
    await execute(
      deps,
      deps.streams.runner,
      stream,
      { type: 'RecordDeregistered', data: { at: deps.clock.now() } },
      correlationId,
    );
  }
  if (machine) await deps.compute(state.compute).terminate(machine.instanceId);
  else if (state.launchAttempts > 0 && !(await machinelessLaunchesSettled(deps, state))) {
    // A machine its launch keys started may still appear: the slot stays counted until then.
    return { kind: 'not-retired', runnerId: state.runnerId, detail: 'a launch may still be in flight' };
  }
  const terminated = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RecordInstanceTerminated', data: { at: deps.clock.now() } },
    correlationId,
  );
  await finishRemoval(deps, terminated.state, correlationId);
  deps.logger.info('Runner retired', { runnerId: state.runnerId, reason: state.reason, pool: state.poolId });
  return { kind: 'retired', runnerId: state.runnerId };
}

/** After the machine is gone: slot back to the pool, secret deleted (both idempotent). */
export async function finishRemoval(
  deps: ScalerDeps,
  state: RunnerState,
  correlationId: string,
): Promise<void> {
  if (state.status === 'none') return;
  await releaseSlot(deps, state.poolId, state.runnerId, correlationId);
  await deps.secrets.delete(secretRefOf(state));
}

/** A reusable runner registers itself by name: find its GitHub id when we never learned it. */
async function findRegistration(deps: ScalerDeps, state: RunnerState): Promise<number | null> {
  const machine = machineOf(state);
  if (state.status === 'none' || !machine?.registration) return null;
  const pool = poolById(deps, state.poolId);
  if (!pool) return null;
  const scope = scopeFor(pool);
  const runners = await deps.registry.listRunners(scope);
  return runners.find((runner) => runner.name === machine.registration?.runnerName)?.githubRunnerId ?? null;
}

/** Loads a runner and, if a termination is under way, finishes it. */
export async function resumeTermination(
  deps: ScalerDeps,
  runnerId: RunnerId,
  correlationId: string,
): Promise<RetireOutcome> {
  const { state } = await read(deps, deps.streams.runner, runnerStreamId(runnerId));
  return completeTermination(deps, state, correlationId);
}
