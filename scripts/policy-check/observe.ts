// The invariants checked after every simulated minute, and the fleet numbers gathered then.
import { toMillis, type IsoTime, type ScalerSettings } from '../../packages/core/src/index';
import type { ScalerFixture } from '../../packages/core/src/testing/scaler-fixture';
import { machines, machinesByName, type Machine } from './github-world';
import type { TraceJob } from './trace';

export interface RunningJob {
  readonly job: TraceJob;
  readonly runnerName: string;
  /** The minute it completes. */
  readonly endsAt: number;
}

/** What the simulated GitHub and the checker know, by trace job id. */
export interface Observations {
  /** Queued at GitHub, no runner yet (arrival order). */
  readonly queued: Map<number, TraceJob>;
  readonly running: Map<number, RunningJob>;
  readonly started: Map<number, { readonly minute: number; readonly pool: string | null }>;
  readonly completed: Map<number, number>;
  readonly violations: string[];
  /** Peak runners alive per pool: machines or the pool stream's count, whichever is higher. */
  readonly peak: Map<string, number>;
  readonly idleMinutes: Map<string, number>;
  /** Idle runners per pool at each whole simulated hour (UTC): how warm pools hold and release. */
  readonly hourlyIdle: Map<string, Map<IsoTime, number>>;
}

/**
 * Alive ≤ max per pool (both the machines that exist and the pool stream's own count), and no
 * job's runner terminated under it; counts idle runner-minutes (online, idle, machine alive).
 */
export async function observe(
  fx: ScalerFixture,
  settings: ScalerSettings,
  world: Observations,
  minute: number,
  streamAlive: (poolId: string) => Promise<number>,
): Promise<void> {
  const all = machines(fx);
  for (const pool of settings.pools) {
    const alive = Math.max(
      all.filter((machine) => machine.poolId === pool.id && machine.alive).length,
      await streamAlive(pool.id),
    );
    world.peak.set(pool.id, Math.max(world.peak.get(pool.id) ?? 0, alive));
    if (pool.maxRunners >= 0 && alive > pool.maxRunners)
      world.violations.push(
        `minute ${minute}: pool ${pool.id} has ${alive} runners alive, above its maximum of ${pool.maxRunners}`,
      );
  }
  const byName = machinesByName(fx, settings);
  const idleNow = new Map<string, number>();
  for (const registration of fx.registry.registrations.values()) {
    const machine = byName.get(registration.name);
    if (registration.status !== 'online' || registration.busy || !machine?.alive || !machine.poolId) continue;
    world.idleMinutes.set(machine.poolId, (world.idleMinutes.get(machine.poolId) ?? 0) + 1);
    idleNow.set(machine.poolId, (idleNow.get(machine.poolId) ?? 0) + 1);
  }
  const now = fx.clock.now();
  if (toMillis(now) % 3_600_000 === 0) {
    for (const pool of settings.pools) {
      const samples = world.hourlyIdle.get(pool.id) ?? new Map<IsoTime, number>();
      samples.set(now, idleNow.get(pool.id) ?? 0);
      world.hourlyIdle.set(pool.id, samples);
    }
  }
  for (const [id, running] of [...world.running]) {
    if (byName.get(running.runnerName)?.alive) continue;
    world.violations.push(
      `minute ${minute}: runner ${running.runnerName} was terminated while busy with job ${id}`,
    );
    // GitHub fails the job: it never completes.
    world.running.delete(id);
  }
}

/** A launch idempotency key that produced more than one machine: a retry launched twice. */
export function duplicateLaunches(all: readonly Machine[]): string[] {
  const perKey = new Map<string, number>();
  for (const machine of all) perKey.set(machine.key, (perKey.get(machine.key) ?? 0) + 1);
  return [...perKey]
    .filter(([, count]) => count > 1)
    .map(([key, count]) => `launch idempotency key ${key} produced ${count} machines`);
}
