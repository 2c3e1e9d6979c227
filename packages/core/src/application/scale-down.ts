import type { RegisteredRunnerView, RunnerView } from '../scaling/views';
import { selectForScaleDown } from '../scaling/scale-down';
import { orphanRegistrations } from '../scaling/reconcile';
import type { RunnerScope } from '../ports/runner-registry';
import type { ScalerDeps } from './deps';
import { execute } from './execute';
import { runnerView } from './streams';
import { runnerStreamId } from '../runner/runner.decider';
import { openRunners } from './heads';
import { resumeTermination, retireRunner } from './retire-runner';
import { runnerNameFor, runnerNamePrefix, scopeFor } from './scale-up';

export interface ScaleDownReport {
  readonly retired: number;
  readonly keptBusy: number;
  readonly registrationsRemoved: number;
  /** Pools whose GitHub registrations could not be listed this run (scale-down still ran on local facts). */
  readonly registrationsUnknown: readonly string[];
}

/**
 * The scheduled scale-down. Per pool: read the live runners from the stream index (no
 * cloud scan), list GitHub's registrations once per scope, let the policy pick runners
 * (never a busy one), and retire each safely. Unfinished terminations are finished.
 */
export async function scaleDown(deps: ScalerDeps, correlationId: string): Promise<ScaleDownReport> {
  const now = deps.clock.now();
  const registrationCache = new Map<string, readonly RegisteredRunnerView[] | null>();
  let retired = 0;
  let keptBusy = 0;
  let registrationsRemoved = 0;
  const registrationsUnknown: string[] = [];
  const ourNames = new Map<string, RunnerView>();

  for (const pool of deps.settings.pools) {
    const runners = [...(await openRunners(deps, pool.id))];
    for (const runner of runners) if (runner.runnerName) ourNames.set(runner.runnerName, runner);
    const scope = scopeFor(pool, null);
    const listed = pool.level === 'org' ? await listOnce(deps, registrationCache, scope) : null;
    if (listed === null) registrationsUnknown.push(pool.id);
    const registrations = new Map((listed ?? []).map((registration) => [registration.name, registration]));
    await recordOnline(deps, runners, registrations, correlationId);
    const selections = selectForScaleDown({
      pool,
      runners,
      registrations,
      registrationsKnown: listed !== null,
      now,
    });
    for (const selection of selections) {
      const outcome = await retireRunner(deps, selection.runnerId, selection.reason, correlationId);
      if (outcome.kind === 'retired') retired += 1;
      if (outcome.kind === 'kept-busy') keptBusy += 1;
    }
    // Terminations a crash left half done.
    for (const runner of runners) {
      if (
        runner.status === 'terminating' &&
        !selections.some((selection) => selection.runnerId === runner.runnerId)
      ) {
        const outcome = await resumeTermination(deps, runner.runnerId, correlationId);
        if (outcome.kind === 'retired') retired += 1;
      }
    }
  }

  if ([...registrationCache.values()].some((listed) => listed !== null)) {
    await addLiveRunnerNames(deps, ourNames);
  }
  for (const [key, registrations] of registrationCache) {
    if (!registrations) continue;
    const pools = deps.settings.pools.filter(
      (pool) => pool.level === 'org' && scopeKey(scopeFor(pool, null)) === key,
    );
    const orphans = orphanRegistrations({
      registrations,
      runnersByName: ourNames,
      namePrefixes: pools.map((pool) => runnerNamePrefix(pool)),
    });
    const scope = pools[0] ? scopeFor(pools[0], null) : null;
    if (!scope) continue;
    for (const orphan of orphans) {
      const outcome = await deps.registry.deleteRunner(scope, orphan.githubRunnerId);
      if (outcome === 'deleted') registrationsRemoved += 1;
    }
  }
  deps.metrics.add('RunnersRetired', retired, 'Count');
  return { retired, keptBusy, registrationsRemoved, registrationsUnknown };
}

/**
 * The name of every live runner, read after GitHub was listed: a runner stream is opened before
 * its registration is created, so a registration a scale-up created and has not recorded yet
 * (or is recording right now) is never swept as an orphan while its machine boots.
 */
async function addLiveRunnerNames(deps: ScalerDeps, ourNames: Map<string, RunnerView>): Promise<void> {
  for (const pool of deps.settings.pools) {
    for (const runner of await openRunners(deps, pool.id)) {
      ourNames.set(runnerNameFor(pool, runner.runnerId), runner);
    }
  }
}

/** GitHub's listing is how a runner that has not run a job yet is known to be online. */
async function recordOnline(
  deps: ScalerDeps,
  runners: RunnerView[],
  registrations: ReadonlyMap<string, RegisteredRunnerView>,
  correlationId: string,
): Promise<void> {
  for (const [index, runner] of runners.entries()) {
    if (runner.status !== 'launched' || !runner.runnerName) continue;
    if (registrations.get(runner.runnerName)?.status !== 'online') continue;
    const result = await execute(
      deps,
      deps.streams.runner,
      runnerStreamId(runner.runnerId),
      { type: 'RecordRunnerOnline', data: { at: deps.clock.now() } },
      correlationId,
    );
    const view = runnerView(result.state);
    if (view) runners[index] = view;
  }
}

function scopeKey(scope: RunnerScope): string {
  return scope.level === 'repo' ? `${scope.owner}/${scope.repo}` : scope.owner;
}

async function listOnce(
  deps: ScalerDeps,
  cache: Map<string, readonly RegisteredRunnerView[] | null>,
  scope: RunnerScope,
): Promise<readonly RegisteredRunnerView[] | null> {
  const key = scopeKey(scope);
  if (cache.has(key)) return cache.get(key) ?? null;
  let listed: readonly RegisteredRunnerView[] | null = null;
  try {
    listed = await deps.registry.listRunners(scope);
  } catch (error) {
    deps.logger.warn('Could not list GitHub runners; scale-down uses recorded facts only', {
      scope: key,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  cache.set(key, listed);
  return listed;
}
