import type { LocalControlPlane } from './control-plane';
import type { FaultMark, MinuteSample } from './demo-report-types';

export type { FaultMark, MinuteSample } from './demo-report-types';

/** Samples the run once per simulated minute, for the HTML report's charts. */
export class TimelineSampler {
  readonly samples: MinuteSample[] = [];
  readonly faults: FaultMark[] = [];
  private nextMinute = 0;

  constructor(
    private readonly start: number,
    private readonly pools: readonly string[],
  ) {}

  /** Call after every step: records each simulated minute that has passed since the last call. */
  sample(plane: LocalControlPlane): void {
    const elapsed = (plane.clock.nowMs() - this.start) / 60_000;
    while (this.nextMinute <= elapsed) {
      const jobs = plane.fake.jobs();
      const alive: Record<string, number> = {};
      for (const pool of this.pools) alive[pool] = plane.observer.aliveIn(pool);
      this.samples.push({
        minute: this.nextMinute,
        queued: jobs.filter((job) => job.status === 'queued').length,
        running: jobs.filter((job) => job.status === 'in_progress').length,
        alive,
      });
      this.nextMinute += 1;
    }
  }

  fault(nowMs: number, kind: string, label: string): void {
    this.faults.push({ minute: Math.round(((nowMs - this.start) / 60_000) * 10) / 10, kind, label });
  }
}
