import type { PoolConfig } from '../config/pool-config';
import { minutesBetween, toMillis, type IsoTime } from '../shared/brand';
import type { RegisteredRunnerView, RunnerView } from '../scaling/views';
import { selectForScaleDown, type ScaleDownInput, type ScaleDownSelection } from '../scaling/scale-down';
import { unseenStarts, type RecentJobView } from '../scaling/unseen-starts';
import { jobsThatMayHoldRunners } from './recent-jobs';
import { orphanRegistrations } from '../scaling/reconcile';
import { registrationsCanMatter } from '../scaling/registration-need';
import type { StreamHeadRecord } from '../ports/event-store';
import { runnerViewOf } from './heads';
import type { ScaleDownDeps, ScalerDeps } from './deps';
import { failedDeliveriesRecovered } from './failed-deliveries';
import { execute } from './execute';
import { runnerView } from './streams';
import { runnerStreamId } from '../runner/runner.decider';
import type { RunnerCommand } from '../runner/runner.commands';
import { forEachPool, recordPoolFailure } from './pool-isolation';
import { resumeTermination, retireRunner, type RetireContext } from './retire-runner';
import { releaseSlots } from './pool-slots';
import { recordUnseenCompletions } from './unseen-completions';
import type { RunnerId } from '../shared/brand';
import { isLiveRunnerNamed, poolRunners } from './runner-lookup';
import { runnerNamePrefix, scopeFor } from './scale-up';
import { listOnce, nothingToDo, poolScopeKey } from './scale-down-gate';

export interface ScaleDownReport {
  readonly retired: number;
  readonly keptBusy: number;
  readonly registrationsRemoved: number;
  /** Pools whose GitHub registrations could not be listed this run (scale-down still ran on local facts). */
  readonly registrationsUnknown: readonly string[];
  /** Pools whose scale-down failed this run (logged, counted as PoolPolicyFailed); the others ran. */
  readonly failedPools: readonly string[];
  /** When every scope was last listed (this run or the one passed in); null if never. */
  readonly registrationsListedAt: IsoTime | null;
}

/**
 * Offline registrations with no runner behind them (orphans) are found only in a listing.
 * A cycle lists a scope when some pool's runners make the listing matter
 * (`registrationsCanMatter`), and every scope at least this often for the orphans.
 */
export const ORPHAN_LISTING_EVERY_MINUTES = 10;

export interface ScaleDownOptions {
  /**
   * When this process last listed every scope (the report's `registrationsListedAt`); null:
   * never. Absent: list every scope this run (callers that keep no memory).
   */
  readonly registrationsListedAt?: IsoTime | null;
}

interface ScaleDownRun {
  readonly now: IsoTime;
  readonly correlationId: string;
  readonly registrationCache: Map<string, readonly RegisteredRunnerView[] | null>;
  readonly ourNames: Map<string, RunnerView>;
  /** List every scope (orphan detection), not only where a pool's runners need it. */
  readonly listAll: boolean;
  /** Jobs routed within the busy flag's lag, read once per cycle when first needed. */
  recentJobs?: Promise<readonly RecentJobView[]>;
  /** Every pool's open runners from the stream index: one query per cycle, on first use. */
  listed?: Promise<readonly StreamHeadRecord[]>;
  /** Whether GitHub's delivery log shows no failed delivery left unrecovered (once per cycle, when needed). */
  deliveriesRecovered?: Promise<boolean>;
  retired: number;
  keptBusy: number;
  readonly registrationsUnknown: string[];
}

/**
 * The scheduled scale-down. Per pool: read the live runners consistently (the pool's slots and
 * the stream index, each runner folded from its stream — never a cloud scan, never a stale
 * index view), list GitHub's registrations once per scope, let the policy pick runners (never a
 * busy one), and retire each safely. Unfinished terminations are finished. Each pool runs on
 * its own: one that fails is recorded and the others still run.
 */
export async function scaleDown(
  deps: ScaleDownDeps,
  correlationId: string,
  options: ScaleDownOptions = {},
): Promise<ScaleDownReport> {
  const now = deps.clock.now();
  const last = options.registrationsListedAt;
  const listAll = !last || minutesBetween(last, now) >= ORPHAN_LISTING_EVERY_MINUTES;
  const run: ScaleDownRun = {
    now,
    correlationId,
    registrationCache: new Map(),
    ourNames: new Map(),
    listAll,
    retired: 0,
    keptBusy: 0,
    registrationsUnknown: [],
  };
  const failedPools = await forEachPool(deps, 'scale-down', (pool) => scaleDownPool(deps, pool, run));
  const registrationsRemoved = await removeOrphanRegistrations(deps, run, failedPools);
  deps.metrics.add('RunnersRetired', run.retired, 'Count');
  return {
    retired: run.retired,
    keptBusy: run.keptBusy,
    registrationsRemoved,
    registrationsUnknown: run.registrationsUnknown,
    failedPools,
    // A listing that failed is tried again next cycle.
    registrationsListedAt:
      listAll && run.registrationsUnknown.length === 0 && failedPools.length === 0 ? now : (last ?? null),
  };
}

async function scaleDownPool(deps: ScaleDownDeps, pool: PoolConfig, run: ScaleDownRun): Promise<void> {
  run.listed ??= deps.index.listOpen('runner');
  const listed = await run.listed;
  const indexed = listed.filter((head) => head.open && head.group === pool.id).map(runnerViewOf);
  if (await nothingToDo(deps, pool, run, indexed)) {
    // Orphan registrations are re-checked on the runner's stream before any delete.
    for (const runner of indexed) if (runner.runnerName) run.ourNames.set(runner.runnerName, runner);
    return;
  }
  const runners = [...(await poolRunners(deps, pool, listed))];
  for (const runner of runners) if (runner.runnerName) run.ourNames.set(runner.runnerName, runner);
  // Skipped only where the policy picks the same runners whatever GitHub lists.
  const needed = run.listAll || registrationsCanMatter({ pool, runners, now: run.now });
  const github = needed ? await listOnce(deps, run.registrationCache, scopeFor(pool)) : null;
  if (needed && github === null) run.registrationsUnknown.push(pool.id);
  const registrations = new Map((github ?? []).map((registration) => [registration.name, registration]));
  await recordListed(deps, runners, registrations, run.correlationId);
  await recordUnseenCompletions(deps, runners, registrations, run.correlationId);
  const selections = await selectSafely(deps, run, {
    pool,
    runners,
    registrations,
    registrationsKnown: github !== null,
    now: run.now,
    busyFlagLagSeconds: deps.options.busyFlagLagSeconds,
  });
  // Every runner that should go goes this cycle, a few at a time; their slots are given back
  // in one pool append at the end (a crash before it leaves ended runners holding slots: the
  // reconciler's release-slots step gives them back).
  const freed: RunnerId[] = [];
  const context: RetireContext = {
    registrations,
    releaseLater: (_poolId, runnerId) => freed.push(runnerId),
  };
  const selected = new Set(selections.map((selection) => selection.runnerId));
  // Terminations a crash (or a failed call) left half done are finished too.
  const resumed: RunnerView[] = [];
  for (const runner of runners)
    if (runner.status === 'terminating' && !selected.has(runner.runnerId))
      if (await mayResume(deps, run, pool, runner)) resumed.push(runner);
  try {
    await inLanes(RETIREMENT_LANES, [
      ...selections.map((selection) => async () => {
        const outcome = await retireRunner(
          deps,
          selection.runnerId,
          selection.reason,
          run.correlationId,
          context,
        );
        if (outcome.kind === 'retired') run.retired += 1;
        if (outcome.kind === 'kept-busy') run.keptBusy += 1;
      }),
      ...resumed.map((runner) => async () => {
        const outcome = await resumeTermination(deps, runner.runnerId, run.correlationId, context);
        if (outcome.kind === 'retired') run.retired += 1;
      }),
    ]);
  } finally {
    await releaseSlots(deps, pool.id, freed, run.correlationId);
  }
}

/**
 * The policy's choice, with the jobs routed within GitHub's busy-flag lag taken into account
 * when it would retire an idle runner: such a job may be running on it with its `in_progress`
 * not recorded yet while GitHub still lists it idle (and would delete it). They are read only
 * then (once per cycle), so a cycle with nothing idle to retire costs no extra reads.
 */
async function selectSafely(
  deps: ScaleDownDeps,
  run: ScaleDownRun,
  input: ScaleDownInput,
): Promise<readonly ScaleDownSelection[]> {
  const idle = (selection: ScaleDownSelection) => selection.reason === 'idle';
  const first = selectForScaleDown(input);
  if (!first.some(idle)) return first;
  run.recentJobs ??= jobsThatMayHoldRunners(deps, run.now, deps.options.busyFlagLagSeconds);
  const selected = selectForScaleDown({ ...input, recentJobs: await run.recentJobs });
  if (!selected.some(idle)) return selected;
  // A job whose deliveries failed is in no record; GitHub's delivery log shows it.
  run.deliveriesRecovered ??= failedDeliveriesRecovered(deps, run.now);
  return (await run.deliveriesRecovered) ? selected : selected.filter((selection) => !idle(selection));
}

/**
 * An idle runner's termination decided in an earlier cycle may not have deleted its registration
 * yet (the call failed, or the invocation died): the runner is still registered, and GitHub may
 * have given it a job since, as unseen as an idle runner's (its busy flag lags). It is resumed
 * only when the rules that let an idle runner go hold now: no job routed within the lag is
 * unstarted or started on it, and no failed delivery is left unrecovered. (Resuming one already
 * deregistered only asks again, cheaply: the check costs the same reads as an idle retirement.)
 */
async function mayResume(
  deps: ScaleDownDeps,
  run: ScaleDownRun,
  pool: PoolConfig,
  runner: RunnerView,
): Promise<boolean> {
  if (runner.terminationReason !== 'idle' || runner.runnerName === null) return true;
  run.recentJobs ??= jobsThatMayHoldRunners(deps, run.now, deps.options.busyFlagLagSeconds);
  const unseen = unseenStarts(pool, await run.recentJobs);
  if (unseen.anyRunner || unseen.runnerNames.has(runner.runnerName)) return false;
  run.deliveriesRecovered ??= failedDeliveriesRecovered(deps, run.now);
  return run.deliveriesRecovered;
}

/**
 * Retirements run this many at a time: a cycle over a thousand runners must finish within the
 * function's timeout (each retirement waits on GitHub, the cloud and DynamoDB), while GitHub's
 * secondary rate limit allows no more than 100 concurrent requests per App.
 */
const RETIREMENT_LANES = 8;

/** Runs the tasks, `lanes` at a time; the first failure is thrown once all have settled. */
async function inLanes(lanes: number, tasks: readonly (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.().catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, tasks.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

/**
 * Offline registrations named like ours with no live runner behind them, per listed scope.
 * A scope shared with a pool that failed this run is skipped: its runners were never read,
 * so their registrations would look like orphans.
 */
async function removeOrphanRegistrations(
  deps: ScalerDeps,
  run: ScaleDownRun,
  failedPools: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const [key, registrations] of run.registrationCache) {
    if (!registrations) continue;
    const pools = deps.settings.pools.filter((pool) => poolScopeKey(pool) === key);
    const [first] = pools;
    if (!first || pools.some((pool) => failedPools.includes(pool.id))) continue;
    const scope = scopeFor(first);
    const orphans = orphanRegistrations({
      registrations,
      runnersByName: run.ourNames,
      namePrefixes: pools.map((pool) => runnerNamePrefix(pool)),
    });
    try {
      for (const orphan of orphans) {
        // Registered after our runners were read (a launch that finished meanwhile): not an orphan.
        if (await isLiveRunnerNamed(deps, orphan.name)) continue;
        const outcome = await deps.registry.deleteRunner(scope, orphan.githubRunnerId);
        if (outcome === 'deleted') removed += 1;
      }
    } catch (error) {
      for (const pool of pools) recordPoolFailure(deps, 'scale-down orphan registrations', pool.id, error);
    }
  }
  return removed;
}

/**
 * What GitHub's listing tells about our runners, recorded on their streams: a runner that has
 * not run a job yet is known online this way; and one our records call idle (or not online
 * yet) that GitHub lists busy runs a job whose `in_progress` we have not recorded — it is
 * recorded busy with a job GitHub did not name, so its availability is counted again from
 * that job's end (GitHub's busy flag will lag behind the next one).
 */
async function recordListed(
  deps: ScalerDeps,
  runners: RunnerView[],
  registrations: ReadonlyMap<string, RegisteredRunnerView>,
  correlationId: string,
): Promise<void> {
  for (const [index, runner] of runners.entries()) {
    const listed = runner.runnerName ? registrations.get(runner.runnerName) : undefined;
    if (!listed || (runner.status !== 'launched' && runner.status !== 'idle')) continue;
    const at = deps.clock.now();
    let command: RunnerCommand | null = null;
    if (listed.busy && !justFinished(runner, at, deps.options.busyFlagLagSeconds))
      command = { type: 'RecordRunnerJobStarted', data: { jobId: null, at } };
    else if (runner.status === 'launched' && listed.status === 'online')
      command = { type: 'RecordRunnerOnline', data: { at } };
    if (!command) continue;
    const result = await execute(
      deps,
      deps.streams.runner,
      runnerStreamId(runner.runnerId),
      command,
      correlationId,
    );
    const view = runnerView(result.state);
    if (view) runners[index] = view;
  }
}

/**
 * Did the runner finish a job within the lag? GitHub may still list it busy with that one (its
 * flag lags at a job's end too): that says nothing of a new job.
 */
function justFinished(runner: RunnerView, now: IsoTime, lagSeconds: number): boolean {
  return runner.idleSince !== null && toMillis(now) - toMillis(runner.idleSince) < lagSeconds * 1000;
}
