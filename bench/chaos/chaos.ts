import { classify, DEFECTS, type DefectClass } from './classify';
import { FAULT_FAMILIES, type FaultFamily } from './faults';
import { scheduleSeed } from './rng';
import { runSchedule, type ScheduleResult } from './schedule';

export interface ChaosOptions {
  readonly schedules: number;
  /** Base seed: schedule i runs with `scheduleSeed(seed, i)`. */
  readonly seed: number;
  readonly allowed: ReadonlySet<FaultFamily>;
  /** Unclassified schedules re-run with one fault family off at a time (at most this many). */
  readonly ablations?: number;
  readonly progress?: (done: number, failing: number) => void;
  /** Starts no schedule after this many ms (a bound for a shared machine); the report counts those run. */
  readonly stopAfterMs?: number;
  /**
   * Runs only the schedules whose index is `index` modulo `count`: `count` processes with
   * the same seed run the same schedules as one, on as many cores.
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /** The first schedule index (default 0): a later process can extend a run without overlap. */
  readonly from?: number;
}

export interface Example {
  readonly seed: number;
  readonly invariant: string;
  readonly detail: string;
  readonly faults: readonly FaultFamily[];
  readonly needs?: readonly FaultFamily[];
  readonly replay: string;
  readonly trace?: readonly string[];
}

export interface ChaosReport {
  readonly seed: number;
  readonly schedules: number;
  readonly allowed: readonly FaultFamily[];
  readonly failingSchedules: number;
  readonly unsettled: number;
  readonly byInvariant: Readonly<Record<string, number>>;
  /** Schedules with a violation of each class, with a few replayable examples. */
  readonly byDefect: Readonly<Partial<Record<DefectClass, { schedules: number; examples: Example[] }>>>;
  readonly injected: Readonly<Partial<Record<FaultFamily, number>>>;
  readonly totals: { invocations: number; killed: number; faulted: number; jobs: number; machines: number };
  readonly wallSeconds: number;
}

const EXAMPLES = 4;
const ABLATED_EXAMPLES = 2;

/** The command that replays one schedule alone, with its whole trace. */
export function replayCommand(seed: number, allowed: ReadonlySet<FaultFamily>): string {
  const faults =
    allowed.size === FAULT_FAMILIES.length ? '' : ` --faults ${[...allowed].join(',') || 'none'}`;
  return `pnpm chaos -- --replay ${seed}${faults}`;
}

/** Runs `schedules` schedules, classifies every violation and gathers replayable examples. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const byInvariant: Record<string, number> = {};
  const byDefect: Partial<Record<DefectClass, { schedules: number; examples: Example[] }>> = {};
  const injected: Partial<Record<FaultFamily, number>> = {};
  const totals = { invocations: 0, killed: 0, faulted: 0, jobs: 0, machines: 0 };
  let failing = 0;
  let unsettled = 0;
  let ablations = options.ablations ?? 0;
  let ran = 0;
  const shard = options.shard ?? { index: 0, count: 1 };
  for (let index = (options.from ?? 0) + shard.index; index < options.schedules; index += shard.count) {
    if (options.stopAfterMs !== undefined && Date.now() - started >= options.stopAfterMs) break;
    ran += 1;
    const seed = scheduleSeed(options.seed, index);
    const scheduleOptions = { seed, allowed: options.allowed };
    const result: ScheduleResult = await runSchedule(scheduleOptions);
    for (const [family, n] of Object.entries(result.injected))
      injected[family as FaultFamily] = (injected[family as FaultFamily] ?? 0) + n;
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result.stats[key];
    if (!result.settled) unsettled += 1;
    if (result.violations.length > 0) {
      failing += 1;
      // Ablation (the schedule re-run with one fault family off at a time) for the first
      // examples of every class and, within the budget, for every unclassified violation.
      const ablate = (defect: DefectClass) =>
        ablations > 0 &&
        (defect === 'unclassified' || (byDefect[defect]?.examples.length ?? 0) < ABLATED_EXAMPLES);
      const classes = await classify(result, scheduleOptions, ablate);
      if (classes.some((c) => c.needs !== undefined)) ablations -= 1;
      const seen = new Set<DefectClass>();
      for (const [i, violation] of result.violations.entries()) {
        byInvariant[violation.invariant] = (byInvariant[violation.invariant] ?? 0) + 1;
        const { defect, needs } = classes[i] as (typeof classes)[number];
        const entry = (byDefect[defect] ??= { schedules: 0, examples: [] });
        if (!seen.has(defect)) entry.schedules += 1;
        seen.add(defect);
        if (entry.examples.length < EXAMPLES)
          entry.examples.push({
            seed,
            invariant: violation.invariant,
            detail: violation.detail,
            faults: result.faults,
            ...(needs ? { needs } : {}),
            replay: replayCommand(seed, options.allowed),
            ...(defect === 'unclassified' ? { trace: violation.trace.slice(-40) } : {}),
          });
      }
    }
    options.progress?.(ran, failing);
  }
  return {
    seed: options.seed,
    schedules: ran,
    allowed: FAULT_FAMILIES.filter((family) => options.allowed.has(family)),
    failingSchedules: failing,
    unsettled,
    byInvariant,
    byDefect,
    injected,
    totals,
    wallSeconds: (Date.now() - started) / 1000,
  };
}

/** The report as text: figures, then each class with its replayable examples. */
export function describe(report: ChaosReport): string {
  const lines = [
    `${report.schedules} schedules (seed ${report.seed}, faults allowed: ${report.allowed.join(', ') || 'none'}) in ${report.wallSeconds.toFixed(0)} s`,
    `failing schedules: ${report.failingSchedules}; not settled: ${report.unsettled}`,
    `violations by invariant: ${JSON.stringify(report.byInvariant)}`,
    `faults injected: ${JSON.stringify(report.injected)}`,
    `invocations ${report.totals.invocations} (killed ${report.totals.killed}, met a fault ${report.totals.faulted}), jobs ${report.totals.jobs}, machines ${report.totals.machines}`,
  ];
  for (const [defect, entry] of Object.entries(report.byDefect)) {
    lines.push('', `(${defect}) ${DEFECTS[defect as DefectClass]}: ${entry.schedules} schedules`);
    for (const example of entry.examples) {
      lines.push(`  seed ${example.seed} ${example.invariant}: ${example.detail.slice(0, 400)}`);
      lines.push(
        `    faults: ${example.faults.join(', ')}${example.needs ? `; needs: ${example.needs.join(', ') || '(none alone)'}` : ''}`,
      );
      lines.push(`    replay: ${example.replay}`);
      for (const line of example.trace ?? []) lines.push(`      ${line}`);
    }
  }
  return lines.join('\n');
}
