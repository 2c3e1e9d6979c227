// The shapes the demo's HTML report is drawn from, apart from the code that gathers them, so the
// report (and its browser spec) type-check without the local control plane.

/** What the demo saw at the end of one simulated minute. */
export interface MinuteSample {
  readonly minute: number;
  readonly queued: number;
  readonly running: number;
  /** Machines alive per pool (EC2 instances and Fargate tasks, by their pool tag). */
  readonly alive: Readonly<Record<string, number>>;
}

/** A fault the workload injected, at the minute it was injected. */
export interface FaultMark {
  readonly minute: number;
  readonly kind: string;
  readonly label: string;
}

/** What the demo reads back from its own event store after the run (through core's read side). */
export interface DemoHistory {
  /** Machines launched and launch attempts failed, per simulated minute. */
  readonly launches: readonly number[];
  readonly launchFailures: readonly number[];
  /** Jobs worth a look with `hangar job`: one that waited on a full pool, one the spot outage hit. */
  readonly examples: {
    readonly fullPool: string | null;
    readonly capacityOutage: string | null;
    readonly interrupted: string | null;
  };
}

/** The run minute by minute, for the HTML report. */
export interface DemoTimeline {
  readonly startedAt: string;
  readonly samples: readonly MinuteSample[];
  readonly faults: readonly FaultMark[];
  readonly maxRunners: Readonly<Record<string, number>>;
  readonly history: DemoHistory;
  /** Seconds each job attempt waited from queued to started. */
  readonly waits: readonly number[];
}
