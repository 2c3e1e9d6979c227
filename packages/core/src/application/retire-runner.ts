import type { RegisteredRunnerView } from '../scaling/views';
import type { TerminationReason } from '../runner/runner.events';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf, secretRefOf, type RunnerState } from '../runner/runner.state';
import type { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { changed, execute, read } from './execute';
import type { KnownStream } from './handle-command';
import { machinelessLaunchesSettled } from './launch-step';
import { releaseSlot } from './pool-slots';
import { requestAgainIfRunnerTaken } from './taken-runner';
import { poolById, scopeFor } from './runner-names';

export type RetireOutcome =
  | { readonly kind: 'retired'; readonly runnerId: RunnerId }
  /** GitHub gave it a job between our decision and the deregistration: it stays. */
  | { readonly kind: 'kept-busy'; readonly runnerId: RunnerId }
  | { readonly kind: 'not-retired'; readonly runnerId: RunnerId; readonly detail: string };

/** What a scale-down cycle shares with each retirement (absent: a single retirement). */
export interface RetireContext {
  /**
   * GitHub's registrations of the runner's scope by name, listed once this cycle: a reusable
   * runner's GitHub id is found there instead of listing the scope again per runner.
   */
  readonly registrations?: ReadonlyMap<string, RegisteredRunnerView>;
  /** Collects freed slots for one pool append at the end of the cycle (instead of one per runner). */
  readonly releaseLater?: (poolId: string, runnerId: RunnerId) => void;
}

type RunnerStreamState = KnownStream<RunnerState>;

/**
 * Removes a runner safely, in the order that protects jobs:
 * 1. decide termination on the runner stream (refused while busy);
 * 2. deregister from GitHub — GitHub's own check: a busy runner cannot be deleted (`busy`),
 *    and a job start recorded meanwhile cancels the termination;
 * 3. terminate the machine; record the deregistration and the termination in one append;
 *    give the slot back.
 * Each step is idempotent, so a crash anywhere is finished by the next run (a deregistration
 * not recorded yet is simply asked again: GitHub answers that the runner is gone).
 */
export async function retireRunner(
  deps: ScalerDeps,
  runnerId: RunnerId,
  reason: TerminationReason,
  correlationId: string,
  context: RetireContext = {},
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
      await finishRemoval(deps, decided.state, correlationId, { ...context, endedNow: false });
    }
    return { kind: 'not-retired', runnerId, detail: decided.rejection.reason };
  }
  return completeTermination(deps, decided.state, correlationId, context, decided);
}

/** Steps 2–3 for a runner already `terminating` (also used to finish after a crash). */
export async function completeTermination(
  deps: ScalerDeps,
  state: RunnerState,
  correlationId: string,
  context: RetireContext = {},
  known?: RunnerStreamState,
): Promise<RetireOutcome> {
  if (state.status !== 'terminating') {
    if (state.status === 'none')
      return { kind: 'not-retired', runnerId: '' as RunnerId, detail: 'unknown runner' };
    if (state.status === 'terminated' || state.status === 'launch_failed') {
      await finishRemoval(deps, state, correlationId, { ...context, endedNow: false });
      return { kind: 'retired', runnerId: state.runnerId };
    }
    return { kind: 'not-retired', runnerId: state.runnerId, detail: `runner is ${state.status}` };
  }
  const stream = runnerStreamId(state.runnerId);
  const machine = state.machine;
  let deregisteredNow = false;
  if (!state.deregistered && machine?.registration) {
    const outcome = await deregister(deps, state, context);
    if (outcome === 'busy') {
      await execute(
        deps,
        deps.streams.runner,
        stream,
        { type: 'RecordRunnerJobStarted', data: { jobId: null, at: deps.clock.now() } },
        correlationId,
        known,
      );
      deps.logger.info('Runner became busy before deregistration; kept', { runnerId: state.runnerId });
      return { kind: 'kept-busy', runnerId: state.runnerId };
    }
    deregisteredNow = true;
  }
  if (machine) await deps.compute(state.compute).terminate(machine.instanceId);
  else if (state.launchAttempts > 0 && !(await machinelessLaunchesSettled(deps, state))) {
    if (deregisteredNow) {
      await execute(
        deps,
        deps.streams.runner,
        stream,
        { type: 'RecordDeregistered', data: { at: deps.clock.now() } },
        correlationId,
        known,
      );
    }
    // A machine its launch keys started may still appear: the slot stays counted until then.
    return { kind: 'not-retired', runnerId: state.runnerId, detail: 'a launch may still be in flight' };
  }
  const terminated = await execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'RecordInstanceTerminated', data: { at: deps.clock.now(), deregistered: deregisteredNow } },
    correlationId,
    known,
  );
  await finishRemoval(deps, terminated.state, correlationId, { ...context, endedNow: changed(terminated) });
  deps.logger.info('Runner retired', { runnerId: state.runnerId, reason: state.reason, pool: state.poolId });
  return { kind: 'retired', runnerId: state.runnerId };
}

/**
 * Deletes the runner's GitHub registration, if it has one we can find. `busy` is GitHub's 422:
 * the runner took a job after our decision, and must stay.
 */
async function deregister(
  deps: ScalerDeps,
  state: Extract<RunnerState, { status: 'terminating' }>,
  context: RetireContext,
): Promise<'deleted' | 'busy' | 'none'> {
  const registration = state.machine?.registration;
  const pool = poolById(deps, state.poolId);
  if (!registration || !pool) return 'none';
  const githubRunnerId =
    registration.githubRunnerId ??
    context.registrations?.get(registration.runnerName)?.githubRunnerId ??
    // Not in this cycle's listing (registered since, or never): ask GitHub now.
    (await findRegistration(deps, state));
  if (githubRunnerId === null) return 'none';
  const outcome = await deps.registry.deleteRunner(scopeFor(pool), githubRunnerId);
  return outcome === 'busy' ? 'busy' : 'deleted';
}

/**
 * After the machine is gone: the slot back to the pool (now, or with the cycle's other
 * releases), and the secret deleted — once, by whoever recorded the runner's end
 * (`endedNow`), and only if its machine may never have read it. Secrets are deleted by, in
 * order: the boot script, as soon as it has read its secret (a runner that came online or ran
 * a job has read it); this step, for a machine that never did; and the reconciler
 * (`deleteStaleSecrets`), which lists what is still stored and is the crash-safe one: any
 * secret of an ended runner left after the grace period, whatever happened here.
 */
export async function finishRemoval(
  deps: ScalerDeps,
  state: RunnerState,
  correlationId: string,
  options: RetireContext & { readonly endedNow: boolean },
): Promise<void> {
  if (state.status === 'none') return;
  if (options.releaseLater) options.releaseLater(state.poolId, state.runnerId);
  else await releaseSlot(deps, state.poolId, state.runnerId, correlationId);
  if (!options.endedNow) return;
  if (mayHoldUnreadSecret(state)) await deps.secrets.delete(secretRefOf(state));
  await requestAgainIfRunnerTaken(deps, state);
}

/** A secret was written (GitHub created the registration) and its machine never showed it read it. */
function mayHoldUnreadSecret(state: RunnerState): boolean {
  const machine = machineOf(state);
  if (!machine) return false;
  const written = machine.registration !== null || machine.registering?.created != null;
  return written && !machine.online && machine.jobsRun === 0;
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
  context: RetireContext = {},
): Promise<RetireOutcome> {
  const loaded = await read(deps, deps.streams.runner, runnerStreamId(runnerId));
  return completeTermination(deps, loaded.state, correlationId, context, loaded);
}
