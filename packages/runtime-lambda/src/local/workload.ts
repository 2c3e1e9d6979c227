import type { DeliveryOverride, FakeGitHub } from '@hangar/test-support/github';

/** One job of a workload trace: when it is queued, where, on which labels, for how long. */
export interface TraceJob {
  /** Simulated seconds after the start of the trace. */
  readonly atSeconds: number;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly durationSeconds: number;
  /** Delivery fault for this job's `queued` webhook. */
  readonly webhook?: DeliveryOverride;
}

/** A deterministic pseudo-random source (mulberry32), so a trace is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface JobClass {
  readonly labels: readonly string[];
  /** Relative frequency among the background jobs. */
  readonly weight: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

export interface TraceShape {
  readonly seed: number;
  readonly repos: readonly string[];
  readonly classes: readonly JobClass[];
  /** Background arrivals spread over this many minutes. */
  readonly minutes: number;
  readonly backgroundJobs: number;
  /** Bursts: `count` jobs of class `classIndex` queued at once at `atMinute`. */
  readonly bursts: readonly {
    readonly atMinute: number;
    readonly count: number;
    readonly classIndex: number;
  }[];
  /** Fraction of `queued` webhooks GitHub delivers twice. */
  readonly duplicateRate: number;
  /** Fraction of `queued` webhooks whose delivery fails (GitHub does not retry them). */
  readonly dropRate: number;
}

/** Builds a trace: background jobs at random times, bursts, and webhook faults, sorted by time. */
export function buildTrace(shape: TraceShape): TraceJob[] {
  const random = seededRandom(shape.seed);
  const totalWeight = shape.classes.reduce((sum, c) => sum + c.weight, 0);
  const pickClass = (): JobClass => {
    let roll = random() * totalWeight;
    for (const jobClass of shape.classes) {
      roll -= jobClass.weight;
      if (roll <= 0) return jobClass;
    }
    return shape.classes[shape.classes.length - 1] as JobClass;
  };
  const make = (atSeconds: number, jobClass: JobClass): TraceJob => {
    const roll = random();
    const webhook: DeliveryOverride | undefined =
      roll < shape.dropRate
        ? { effect: 'drop' }
        : roll < shape.dropRate + shape.duplicateRate
          ? { effect: 'duplicate' }
          : undefined;
    return {
      atSeconds,
      repo: shape.repos[Math.floor(random() * shape.repos.length)] as string,
      labels: jobClass.labels,
      durationSeconds: Math.round(
        jobClass.minSeconds + random() * (jobClass.maxSeconds - jobClass.minSeconds),
      ),
      ...(webhook ? { webhook } : {}),
    };
  };
  const jobs: TraceJob[] = [];
  for (let i = 0; i < shape.backgroundJobs; i += 1) {
    jobs.push(make(Math.floor(random() * shape.minutes * 60), pickClass()));
  }
  for (const burst of shape.bursts) {
    const jobClass = shape.classes[burst.classIndex];
    if (!jobClass) throw new RangeError(`burst class ${burst.classIndex} does not exist`);
    for (let i = 0; i < burst.count; i += 1) jobs.push(make(burst.atMinute * 60, jobClass));
  }
  return jobs.sort((a, b) => a.atSeconds - b.atSeconds);
}

/** Queues the trace's jobs on the fake GitHub as simulated time reaches them. */
export class TracePlayer {
  private next = 0;

  constructor(
    private readonly trace: readonly TraceJob[],
    private readonly fake: FakeGitHub,
    private readonly startMs: number,
  ) {}

  /** Queues every job due at `nowMs`; returns how many. */
  play(nowMs: number): number {
    let queued = 0;
    while (this.next < this.trace.length) {
      const job = this.trace[this.next] as TraceJob;
      if (this.startMs + job.atSeconds * 1000 > nowMs) break;
      this.fake.queueJob({
        repo: job.repo,
        labels: [...job.labels],
        durationMs: job.durationSeconds * 1000,
        ...(job.webhook ? { webhook: job.webhook } : {}),
      });
      this.next += 1;
      queued += 1;
    }
    return queued;
  }

  done(): boolean {
    return this.next >= this.trace.length;
  }
}
