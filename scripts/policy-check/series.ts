// The simulation minute by minute, for the HTML report and the cost estimate: jobs queued and
// running, machines alive per pool, launches.
import type { ScalerSettings } from '../../packages/core/src/index';
import type { ScalerFixture } from '../../packages/core/src/testing/scaler-fixture';
import { machines } from './github-world';
import type { Observations } from './observe';

export interface PolicySeries {
  readonly minutes: number[];
  readonly queued: number[];
  readonly running: number[];
  readonly alive: Record<string, number[]>;
  readonly launches: number[];
}

export class SeriesRecorder {
  readonly series: PolicySeries = { minutes: [], queued: [], running: [], alive: {}, launches: [] };
  private launched = 0;

  constructor(private readonly settings: ScalerSettings) {
    for (const pool of settings.pools) this.series.alive[pool.id] = [];
  }

  /** Call once at the end of every simulated minute. */
  record(fx: ScalerFixture, world: Observations, minute: number): void {
    const all = machines(fx);
    this.series.minutes.push(minute);
    this.series.queued.push(world.queued.size);
    this.series.running.push(world.running.size);
    for (const pool of this.settings.pools) {
      this.series.alive[pool.id]?.push(
        all.filter((machine) => machine.poolId === pool.id && machine.alive).length,
      );
    }
    const launched = fx.ec2.launches.length + fx.fargate.launches.length;
    this.series.launches.push(launched - this.launched);
    this.launched = launched;
  }
}

/** Machine-minutes per pool: every minute a machine was alive counts one (what the cloud bills). */
export function machineMinutes(series: PolicySeries): Record<string, number> {
  return Object.fromEntries(
    Object.entries(series.alive).map(([pool, alive]) => [pool, alive.reduce((sum, n) => sum + n, 0)]),
  );
}
