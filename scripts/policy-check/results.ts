// What a simulation found: per-job outcomes, per-pool fleet numbers, and the end-of-run
// invariants (one machine per launch key, every routable job completed).
import type { IsoTime, RouteDecision } from '../../packages/core/src/index';
import type { ScalerFixture } from '../../packages/core/src/testing/scaler-fixture';
import type { PolicyCheckConfig } from './config';
import { machines } from './github-world';
import { duplicateLaunches, type Observations } from './observe';
import type { Trace, TraceJob } from './trace';

export interface JobOutcome {
  readonly job: TraceJob;
  /** The pool routing chose, or why none may serve the job. */
  readonly route: { readonly pool: string } | { readonly unroutable: string };
  readonly startedMinute: number | null;
  readonly completedMinute: number | null;
  /** The pool whose runner ran it (GitHub may pick a runner requested for another job). */
  readonly ranOn: string | null;
}

export interface PoolStats {
  readonly id: string;
  readonly maxRunners: number;
  readonly peakAlive: number;
  readonly idleRunnerMinutes: number;
  readonly machinesLaunched: number;
  /** Runner removals the scaler decided, by reason (idle, boot-timeout, launch-stalled, ...). */
  readonly retired: Readonly<Record<string, number>>;
  /** Whether the pool keeps warm runners (a pool schedule or an idle window). */
  readonly warm: boolean;
  /** Idle runners at each whole simulated hour (UTC). */
  readonly hourlyIdle: readonly { readonly at: IsoTime; readonly idle: number }[];
}

export interface SimulationResult {
  readonly minutes: number;
  readonly jobs: readonly JobOutcome[];
  readonly pools: readonly PoolStats[];
  readonly launchCalls: number;
  readonly violations: readonly string[];
}

/** Every termination the scaler decided, per pool and reason, read back from the runner streams. */
async function retirements(fx: ScalerFixture): Promise<Map<string, Record<string, number>>> {
  const byPool = new Map<string, Record<string, number>>();
  for (const streamId of fx.store.streamIds()) {
    if (!streamId.startsWith('runner-')) continue;
    const { events } = await fx.store.readStream(streamId);
    let poolId = '';
    for (const event of events) {
      if (event.type === 'RunnerRequested') poolId = String((event.data as { poolId: string }).poolId);
      if (event.type !== 'RunnerTerminationRequested') continue;
      const reason = String((event.data as { reason: string }).reason);
      const counts = byPool.get(poolId) ?? {};
      counts[reason] = (counts[reason] ?? 0) + 1;
      byPool.set(poolId, counts);
    }
  }
  return byPool;
}

/** Assembles the result once the last minute ran, adding the end-of-run violations. */
export async function results(input: {
  readonly config: PolicyCheckConfig;
  readonly trace: Trace;
  readonly fx: ScalerFixture;
  readonly world: Observations;
  readonly routes: ReadonlyMap<number, RouteDecision>;
  readonly simulated: number;
}): Promise<SimulationResult> {
  const { config, trace, fx, world, routes, simulated } = input;
  const all = machines(fx);
  world.violations.push(...duplicateLaunches(all));
  const jobs: JobOutcome[] = trace.jobs.map((job) => {
    const route = routes.get(job.id);
    const started = world.started.get(job.id);
    return {
      job,
      route: route?.kind === 'routed' ? { pool: route.pool.id } : { unroutable: route?.reason ?? 'unknown' },
      startedMinute: started?.minute ?? null,
      completedMinute: world.completed.get(job.id) ?? null,
      ranOn: started?.pool ?? null,
    };
  });
  for (const outcome of jobs) {
    if (!('pool' in outcome.route) || outcome.completedMinute !== null) continue;
    const what =
      outcome.startedMinute === null
        ? `never started within ${simulated} simulated minutes`
        : `started at minute ${outcome.startedMinute} but never completed`;
    world.violations.push(
      `job ${outcome.job.id} (pool ${outcome.route.pool}, queued at minute ${outcome.job.atMinute}) ${what}`,
    );
  }
  const retired = await retirements(fx);
  return {
    minutes: simulated,
    jobs,
    pools: config.settings.pools.map((pool) => ({
      id: pool.id,
      maxRunners: pool.maxRunners,
      peakAlive: world.peak.get(pool.id) ?? 0,
      idleRunnerMinutes: world.idleMinutes.get(pool.id) ?? 0,
      machinesLaunched: all.filter((machine) => machine.poolId === pool.id).length,
      retired: retired.get(pool.id) ?? {},
      warm: pool.poolSchedules.length > 0 || pool.idleWindows.length > 0,
      hourlyIdle: [...(world.hourlyIdle.get(pool.id) ?? [])].map(([at, idle]) => ({ at, idle })),
    })),
    launchCalls: fx.ec2.launches.length + fx.fargate.launches.length,
    violations: world.violations,
  };
}
