import type { PoolConfig } from '../config/pool-config';
import type { StreamHeadRecord } from '../ports/event-store';
import { poolStreamId } from '../pool/pool.decider';
import { runnerDecider, runnerStreamId } from '../runner/runner.decider';
import { machineOf, type RunnerState } from '../runner/runner.state';
import type { RunnerView } from '../scaling/views';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import type { KnownStream } from './handle-command';
import { runnerViewOf } from './heads';
import { RUNNER_NAME_MARKER, runnerNameFor } from './runner-names';

/**
 * Finding runners without trusting the stream index alone. The index is DynamoDB GSIs, which
 * are eventually consistent: a head written moments ago may be missing (a runner just
 * registered, a machine just recorded) or stale (a runner that just ended still listed live).
 * Each lookup here ends in a consistent read — the runner's stream, or heads read by key
 * (`readHeads`) — before anything is decided (docs/table-design.md,
 * "Index reads and lag").
 */

export function runnerIdOfHead(head: StreamHeadRecord): RunnerId {
  return RunnerId(String(head.view.runnerId ?? head.streamId.replace(/^runner-/, '')));
}

async function runnerState(deps: ScalerDeps, runnerId: RunnerId): Promise<RunnerState> {
  return (await read(deps, deps.streams.runner, runnerStreamId(runnerId))).state;
}

/** A runner found by name, with its stream as the confirming read saw it (absent: found by the index). */
export interface NamedRunner {
  readonly runnerId: RunnerId;
  readonly known?: KnownStream<RunnerState>;
}

/**
 * The runner GitHub knows by `name`. Our names are `<pool prefix>hgr-<runnerId>`, so the
 * runner id is read off the name and confirmed on its stream (the name it registered, or the
 * name its pool gives it before the registration is recorded); the index is asked only for a
 * name that does not resolve so (e.g. registered under an earlier prefix). The confirming read
 * is returned, so the caller's next decision on that runner needs no second read.
 * `asLastSeen`: the stream as this process last saw it stands in for the read (recent-streams.ts)
 * — only for a caller that appends on it next (a stale state then costs a conflict, never a
 * wrong decision).
 */
export async function runnerNamed(
  deps: ScalerDeps,
  name: string,
  options: { readonly asLastSeen?: boolean } = {},
): Promise<NamedRunner | null> {
  const marker = RUNNER_NAME_MARKER;
  for (let at = name.indexOf(marker); at >= 0; at = name.indexOf(marker, at + 1)) {
    const candidate = RunnerId(name.slice(at + marker.length));
    if (candidate === '') continue;
    const stream = runnerStreamId(candidate);
    // A registered name never changes, so the stream as this process last saw it confirms it as
    // well as a read; it is then only a state to decide on, which the append checks.
    const recent = options.asLastSeen ? deps.recent?.get<RunnerState>(stream) : undefined;
    if (recent && machineOf(recent.state)?.registration?.runnerName === name)
      return { runnerId: candidate, known: recent };
    const known = await read(deps, deps.streams.runner, stream);
    const { state } = known;
    if (state.status === 'none') continue;
    const registered = machineOf(state)?.registration?.runnerName;
    const pool = deps.settings.pools.find((p) => p.id === state.poolId);
    if (registered === name || (!registered && pool && runnerNameFor(pool, candidate) === name))
      return { runnerId: candidate, known };
  }
  const head = await deps.index.findByLookupKey('runner', name);
  return head ? { runnerId: runnerIdOfHead(head) } : null;
}

/** `runnerNamed`'s runner id only. */
export async function runnerByName(deps: ScalerDeps, name: string): Promise<RunnerId | null> {
  return (await runnerNamed(deps, name))?.runnerId ?? null;
}

/**
 * The runner whose machine is `instanceId`. The index may not show a machine recorded moments
 * ago; with `searchPools` (a spot warning: the only notice of an interruption) the heads of
 * every runner holding a pool slot are read consistently, by key, for the one that owns the
 * machine. A terminated machine the index misses is not searched for: its runner is ended by
 * scale-down (boot timeout or lost registration).
 */
export async function runnerByInstance(
  deps: ScalerDeps,
  instanceId: string,
  options: { readonly searchPools: boolean },
): Promise<RunnerId | null> {
  const head = await deps.index.findByLookupKey('runner', instanceId);
  if (head) return runnerIdOfHead(head);
  if (!options.searchPools) return null;
  const ids: string[] = [];
  for (const pool of deps.settings.pools) ids.push(...(await slotHolders(deps, pool)));
  const owner = (await deps.index.readHeads(ids)).find((candidate) => candidate.lookupKey === instanceId);
  return owner ? runnerIdOfHead(owner) : null;
}

/** Stream ids of the runners holding one of the pool's slots (the pool stream is read consistently). */
async function slotHolders(deps: ScalerDeps, pool: PoolConfig): Promise<string[]> {
  const { state } = await read(deps, deps.streams.pool, poolStreamId(pool.id));
  return Object.keys(state.slots).map((id) => runnerStreamId(RunnerId(id)));
}

/**
 * A pool's live runners, read consistently: every runner holding one of the pool's slots (a
 * runner holds its slot from request to termination) plus any the index lists, their heads read
 * by key (`readHeads`, not the index), so a runner requested moments ago counts and one that
 * ended moments ago does not. Ordered by runner id. `listed`: the open runner heads the caller
 * already listed (any pools'; only this pool's are used), instead of listing the pool again.
 */
export async function poolRunners(
  deps: ScalerDeps,
  pool: PoolConfig,
  listed?: readonly StreamHeadRecord[],
): Promise<RunnerView[]> {
  const ids = new Set(await slotHolders(deps, pool));
  for (const head of listed ?? (await deps.index.listOpen('runner', pool.id)))
    if (head.group === pool.id) ids.add(head.streamId);
  const heads = await deps.index.readHeads([...ids]);
  return heads
    .filter((head) => head.open && head.group === pool.id)
    .map(runnerViewOf)
    .sort((a, b) => (a.runnerId < b.runnerId ? -1 : a.runnerId > b.runnerId ? 1 : 0));
}

/** Whether `name` is a runner of ours that has not ended (read consistently). */
export async function isLiveRunnerNamed(deps: ScalerDeps, name: string): Promise<boolean> {
  const found = await runnerNamed(deps, name);
  if (found === null) return false;
  const state = found.known?.state ?? (await runnerState(deps, found.runnerId));
  return state.status !== 'none' && !runnerDecider.isTerminal(state);
}
