import type { ComputeKind, PoolConfig } from '../config/pool-config';
import type { StreamHeadRecord } from '../ports/event-store';
import { poolStreamId } from '../pool/pool.decider';
import { runnerDecider, runnerStreamId } from '../runner/runner.decider';
import { machineOf, type RunnerState } from '../runner/runner.state';
import type { RunnerView } from '../scaling/views';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import { openRunners } from './heads';
import { RUNNER_NAME_MARKER, runnerNameFor } from './scale-up';
import { runnerView } from './streams';

/**
 * Finding runners without trusting the stream index alone. The index is DynamoDB GSIs, which
 * are eventually consistent: a head written moments ago may be missing (a runner just
 * registered, a machine just recorded) or stale (a runner that just ended still listed live).
 * Each lookup here ends in a consistent read of the runner's stream (docs/table-design.md,
 * "Index reads and lag").
 */

export function runnerIdOfHead(head: StreamHeadRecord): RunnerId {
  return RunnerId(String(head.view.runnerId ?? head.streamId.replace(/^runner-/, '')));
}

async function runnerState(deps: ScalerDeps, runnerId: RunnerId): Promise<RunnerState> {
  return (await read(deps, deps.streams.runner, runnerStreamId(runnerId))).state;
}

/**
 * The runner GitHub knows by `name`. Our names are `<pool prefix>hgr-<runnerId>`, so the
 * runner id is read off the name and confirmed on its stream (the name it registered, or the
 * name its pool gives it before the registration is recorded); the index is asked only for a
 * name that does not resolve so (e.g. registered under an earlier prefix).
 */
export async function runnerByName(deps: ScalerDeps, name: string): Promise<RunnerId | null> {
  const marker = RUNNER_NAME_MARKER;
  for (let at = name.indexOf(marker); at >= 0; at = name.indexOf(marker, at + 1)) {
    const candidate = RunnerId(name.slice(at + marker.length));
    if (candidate === '') continue;
    const state = await runnerState(deps, candidate);
    if (state.status === 'none') continue;
    const registered = machineOf(state)?.registration?.runnerName;
    const pool = deps.settings.pools.find((p) => p.id === state.poolId);
    if (registered === name || (!registered && pool && runnerNameFor(pool, candidate) === name))
      return candidate;
  }
  const head = await deps.index.findByLookupKey('runner', name);
  return head ? runnerIdOfHead(head) : null;
}

/**
 * The runner whose machine is `instanceId`. The index may not show a machine recorded moments
 * ago; with `liveMachineTags` (a spot warning: the machine still runs for two minutes) the
 * machine's own `runner-id` tag, listed from the cloud, is asked then, and confirmed on the
 * runner's stream. A machine already gone is not listed: its runner is ended by scale-down.
 */
export async function runnerByInstance(
  deps: ScalerDeps,
  instanceId: string,
  options: { readonly liveMachineTags: boolean },
): Promise<RunnerId | null> {
  const head = await deps.index.findByLookupKey('runner', instanceId);
  if (head) return runnerIdOfHead(head);
  if (!options.liveMachineTags) return null;
  const kinds = new Set<ComputeKind>(deps.settings.pools.map((pool) => pool.compute));
  for (const kind of kinds) {
    const machine = (await deps.compute(kind).list()).find((m) => m.instanceId === instanceId);
    if (!machine?.runnerId) continue;
    const state = await runnerState(deps, machine.runnerId);
    if (machineOf(state)?.instanceId === instanceId) return machine.runnerId;
  }
  return null;
}

/**
 * A pool's live runners, read consistently: every runner holding one of the pool's slots (the
 * pool stream is read consistently, and a runner holds its slot from request to termination)
 * plus any the index lists, each folded from its own stream. Ended runners are left out.
 */
export async function poolRunners(deps: ScalerDeps, pool: PoolConfig): Promise<RunnerView[]> {
  const { state } = await read(deps, deps.streams.pool, poolStreamId(pool.id));
  const ids = new Set<RunnerId>(Object.keys(state.slots).map(RunnerId));
  for (const runner of await openRunners(deps, pool.id)) ids.add(runner.runnerId);
  const states = await Promise.all([...ids].sort().map((id) => runnerState(deps, id)));
  return states
    .filter(
      (runner) => runner.status !== 'none' && runner.poolId === pool.id && !runnerDecider.isTerminal(runner),
    )
    .map((runner) => runnerView(runner))
    .filter((view): view is RunnerView => view !== null);
}

/** Whether `name` is a runner of ours that has not ended (read consistently). */
export async function isLiveRunnerNamed(deps: ScalerDeps, name: string): Promise<boolean> {
  const runnerId = await runnerByName(deps, name);
  if (runnerId === null) return false;
  const state = await runnerState(deps, runnerId);
  return state.status !== 'none' && !runnerDecider.isTerminal(state);
}
