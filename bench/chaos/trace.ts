/** The last lines of what happened in a schedule: calls, faults, deliveries, machine changes. */
export class Trace {
  private readonly lines: string[] = [];
  private start = 0;

  constructor(
    private readonly now: () => number,
    private readonly capacity = 600,
  ) {}

  add(text: string): void {
    const t = ((this.now() - START_MS) / 1000).toFixed(0).padStart(5);
    const line = `t+${t}s ${text}`;
    if (this.lines.length < this.capacity) this.lines.push(line);
    else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  tail(count: number): string[] {
    const ordered = [...this.lines.slice(this.start), ...this.lines.slice(0, this.start)];
    return ordered.slice(-count);
  }
}

/** Every schedule starts at the same simulated instant. */
export const START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** One broken invariant, as seen at one observation. */
export interface Violation {
  readonly invariant: Invariant;
  readonly detail: string;
  /** Facts the classification reads (runner kind, failure cause…). */
  readonly tags: Readonly<Record<string, string>>;
  readonly atSeconds: number;
  /** The trace up to the moment it was seen. */
  readonly trace: readonly string[];
}

export type Invariant =
  | 'alive-over-max-machines'
  | 'alive-over-max-pool-stream'
  | 'two-machines-one-runner'
  | 'busy-runner-terminated'
  | 'duplicate-registration'
  | 'job-not-completed'
  | 'left-running'
  | 'dead-letter-unexplained'
  | 'scheduled-run-aborted'
  | 'handler-crashed';

/** The violations of one schedule: the first of each kind, with its trace. */
export class Violations {
  readonly found: Violation[] = [];
  private readonly seen = new Set<Invariant>();

  constructor(
    private readonly trace: Trace,
    private readonly now: () => number,
  ) {}

  record(invariant: Invariant, detail: string, tags: Readonly<Record<string, string>> = {}): void {
    if (this.seen.has(invariant)) return;
    this.trace.add(`VIOLATION ${invariant}: ${detail}`);
    this.seen.add(invariant);
    this.found.push({
      invariant,
      detail,
      tags,
      atSeconds: Math.round((this.now() - START_MS) / 1000),
      trace: this.trace.tail(80),
    });
  }
}
