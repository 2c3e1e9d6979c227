import type { Clock, IsoTime } from '@hangar/core';

/**
 * The one clock of a local control plane: the fake GitHub, the emulators, the handlers' Clock
 * port and the schedule driver all read it, and only the driver moves it. Simulated minutes
 * cost no wall time, so a day of scale-down windows runs in seconds and every run is
 * deterministic in what it decides.
 */
export class SimulatedClock implements Clock {
  private ms: number;

  constructor(start: IsoTime | number = '2026-01-05T08:00:00.000Z') {
    this.ms = typeof start === 'number' ? start : Date.parse(start);
    if (Number.isNaN(this.ms)) throw new RangeError(`SimulatedClock: not an ISO-8601 time: ${String(start)}`);
  }

  now(): IsoTime {
    return new Date(this.ms).toISOString();
  }

  nowMs(): number {
    return this.ms;
  }

  date(): Date {
    return new Date(this.ms);
  }

  /** Moves time forward; time never goes back (the handlers assume a monotonic clock). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`SimulatedClock.advance: ${ms} is not a duration`);
    this.ms += ms;
  }
}
