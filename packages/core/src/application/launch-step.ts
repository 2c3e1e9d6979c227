import type { PoolConfig } from '../config/pool-config';
import type { LaunchResult } from '../ports/compute-provider';
import { runnerStreamId } from '../runner/runner.decider';
import type { RunnerState } from '../runner/runner.state';
import { toMillis, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute } from './execute';

/**
 * The launch step's crash safety. Every launch call carries an idempotency key,
 * `<runnerId>-<attempt>` (EC2 ClientToken, ECS clientToken, and the `hangar:launch-key` tag),
 * and the rules are:
 *
 * - A call is recorded before it is made (`RunnerLaunchStarted`, or `RunnerLaunchResumed` for
 *   another call with the same key), so we always know when a call may still be in flight.
 * - Only a definite answer ends an attempt: a machine, or a failure the cloud answered (it started
 *   nothing for that key; a key already used returns its machine instead). A call that failed
 *   any other way — throttled, 5xx, timeout, connection dropped, or a crash after the call — may
 *   have started a machine: the attempt stays open, with the same key, and its runner keeps its
 *   pool slot. It is resolved by looking the machine up by its key (a different API, throttled
 *   apart from the launch), or by calling again with the same key, which can only return the
 *   machine the key already started. A new attempt (a new key) is never made before that.
 * - A runner that is removed without a recorded machine gives its slot back only once every
 *   machine its keys started is terminated, and once no call can still be in flight: the lookup
 *   runs again until `launchSettleSeconds` after the last call (no invocation lives that long).
 *
 * Hence one machine per runner, and a pool's slots count every machine that may exist.
 */
export const launchKeyFor = (runnerId: RunnerId, attempt: number): string => `${runnerId}-${attempt}`;

type Launching = Extract<RunnerState, { status: 'launching' }>;

/** Looks attempt N's machine up by its key and records it; null when none is found (or the lookup failed). */
export async function recordMachineFoundByKey(
  deps: ScalerDeps,
  pool: PoolConfig,
  state: Launching,
  correlationId: string,
): Promise<RunnerState | null> {
  const key = launchKeyFor(state.runnerId, state.attempt);
  let found;
  try {
    found = await deps.compute(pool.compute).findByLaunchKey(pool.id, key);
  } catch (error) {
    deps.logger.warn('Launch key lookup failed; the attempt stays open', {
      runnerId: state.runnerId,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
  if (!found) return null;
  deps.logger.info('Machine found by its launch key', {
    runnerId: state.runnerId,
    instanceId: found.instanceId,
  });
  const recorded = await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(state.runnerId),
    {
      type: 'RecordLaunchSucceeded',
      data: {
        instanceId: found.instanceId,
        instanceType: found.instanceType,
        capacityType: found.capacityType,
        at: deps.clock.now(),
      },
    },
    correlationId,
  );
  return recorded.state;
}

/** Records that attempt N's call may or may not have started a machine: the attempt stays open. */
export async function recordOutcomeUnknown(
  deps: ScalerDeps,
  pool: PoolConfig,
  state: Launching,
  result: Extract<LaunchResult, { outcome: 'unknown' }>,
  correlationId: string,
): Promise<void> {
  deps.metrics.add('RunnerLaunchOutcomeUnknown', 1, 'Count', { reason: result.reason, pool: pool.id });
  deps.logger.warn('Runner launch outcome unknown; the same key is tried again later', {
    runnerId: state.runnerId,
    pool: pool.id,
    reason: result.reason,
    errorCodes: result.errorCodes,
    attempt: state.attempt,
  });
  await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(state.runnerId),
    {
      type: 'RecordLaunchOutcomeUnknown',
      data: { attempt: state.attempt, reason: result.reason, detail: result.detail, at: deps.clock.now() },
    },
    correlationId,
  );
}

/**
 * For a runner removed without a recorded machine: terminates every machine its launch keys
 * started. False while that cannot be known yet — a lookup failed, or nothing was found for the
 * last attempt while its call may still be in flight — so the slot stays taken and the removal
 * is finished by a later run.
 */
export async function machinelessLaunchesSettled(
  deps: ScalerDeps,
  state: Extract<RunnerState, { status: 'terminating' }>,
): Promise<boolean> {
  const provider = deps.compute(state.compute);
  let lastFound = false;
  for (let attempt = 1; attempt <= state.launchAttempts; attempt += 1) {
    let machine;
    try {
      machine = await provider.findByLaunchKey(state.poolId, launchKeyFor(state.runnerId, attempt));
    } catch (error) {
      deps.logger.warn('Launch key lookup failed; the removal is finished later', {
        runnerId: state.runnerId,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
    if (!machine) continue;
    if (attempt === state.launchAttempts) lastFound = true;
    if (machine.state !== 'terminated') await provider.terminate(machine.instanceId);
  }
  if (lastFound || state.lastLaunchCallAt === null) return true;
  const settledAt = toMillis(state.lastLaunchCallAt) + deps.options.launchSettleSeconds * 1000;
  return toMillis(deps.clock.now()) >= settledAt;
}
