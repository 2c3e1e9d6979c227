import type { FaultFamily } from './faults';
import { runSchedule, type ScheduleOptions, type ScheduleResult } from './schedule';
import type { Invariant, Violation } from './trace';

/**
 * The defects known when the chaos run was written (issue 11), and the ones it found besides.
 * The coordinator re-runs `pnpm chaos` once the fixes land: each class should drop to zero.
 */
export const DEFECTS = {
  a: 'reusable runner: job events of consecutive jobs out of order — recorded idle while running its next job (then deleted and terminated), or busy forever with a job already completed (machine and slot never released)',
  b: 'a launch whose answer was lost is recorded failed: the next attempt launches a second machine for the runner (alive > max)',
  c: 'duplicated queued delivery or scale-up message: two invocations register the same runner (second JIT config replaces the first)',
  d: 'spot interruption before in_progress was recorded: the job is not marked interrupted and not re-run',
  e: 'GitHub 403 on re-run aborts the reconciler (and fails the completed webhook with a 500)',
  f: 'stream index (GSI) lag: a lookup or listing misses a fresh head',
  g: 'a runner that just started a job (ephemeral, or reusable between jobs) is deregistered: its in_progress is not recorded yet (late or failed delivery) and GitHub still reports it idle, so the 422 guard does not fire',
  h: 'a job whose runner requests are used up stays queued with nothing recorded (no give-up reason)',
  i: "the runner's secret was written but its registration never recorded (the invocation failed after the secret write; SQS redelivers only after the 6-minute visibility timeout): the machine registers and takes a job, and scale-down's 5-minute boot timeout terminates it mid-job without deregistering (its name is unknown)",
  unclassified: 'not one of the above: investigate from the trace',
} as const;

export type DefectClass = keyof typeof DEFECTS;

/** The class of one violation from what the world recorded (ablation refines `unclassified`). */
function byFacts(
  violation: Violation,
  all: readonly Violation[],
  faults: ReadonlySet<FaultFamily>,
): DefectClass {
  const causes = (violation.tags.causes ?? '').split(',');
  switch (violation.invariant) {
    case 'duplicate-registration':
      return 'c';
    case 'two-machines-one-runner':
    case 'alive-over-max-machines':
    case 'alive-over-max-pool-stream':
      // Machines of different launch attempts of one runner: an attempt recorded failed (a lost
      // answer, or a concurrent invocation's throttled launch) while its machine existed.
      return 'b';
    case 'busy-runner-terminated':
      if (violation.tags.registrationRecorded === 'no') return 'i';
      // Hangar had not recorded the job's start (its in_progress late, dropped or failed): the
      // same race for an ephemeral runner and a reusable one between jobs.
      if (violation.tags.startRecorded === 'no') return 'g';
      return violation.tags.runner === 'reusable' && violation.tags.jobsBefore !== '0' ? 'a' : 'g';
    case 'job-not-completed': {
      if (causes.includes('interruption-not-recorded')) return 'd';
      const killed = all.find((v) => v.invariant === 'busy-runner-terminated');
      if (causes.includes('runner-killed') && killed) return byFacts(killed, all, faults);
      if (causes.every((cause) => cause === 'requests-exhausted')) return 'h';
      return 'unclassified';
    }
    case 'scheduled-run-aborted':
    case 'handler-crashed':
      // The webhook's `completed` path asks for the re-run too: GitHub's 403 becomes its 500.
      if (/rerunJob|re-run refused|403/.test(violation.detail)) return 'e';
      return faults.has('rerun-refused') && /^webhook answered 500 .*\(completed /.test(violation.detail)
        ? 'e'
        : 'unclassified';
    case 'left-running':
      if (violation.tags.stuckBusy) return 'a';
      return consequence(violation, all, faults);
    default:
      return consequence(violation, all, faults);
  }
}

/** A consequence (something left running, a message dead-lettered) takes its cause's class. */
function consequence(
  violation: Violation,
  all: readonly Violation[],
  faults: ReadonlySet<FaultFamily>,
): DefectClass {
  const cause = all.find(
    (v) => v !== violation && v.invariant !== 'left-running' && v.invariant !== 'dead-letter-unexplained',
  );
  return cause ? byFacts(cause, all, faults) : 'unclassified';
}

export interface Classified {
  readonly invariant: Invariant;
  readonly defect: DefectClass;
  /** Fault families without which the violation goes away (from ablation), when computed. */
  readonly needs?: readonly FaultFamily[];
}

/**
 * Classifies every violation of a schedule. When `ablate(class)` says so, the schedule is re-run
 * once per fault family it was run with, that family off: the families without which the
 * violation goes away are listed, and one that needs index lag is class (f).
 */
export async function classify(
  result: ScheduleResult,
  options: ScheduleOptions,
  ablate: (defect: DefectClass) => boolean,
): Promise<Classified[]> {
  const faults = new Set(result.faults);
  const out: Classified[] = [];
  for (const violation of result.violations) {
    const defect = byFacts(violation, result.violations, faults);
    if (!ablate(defect)) {
      out.push({ invariant: violation.invariant, defect });
      continue;
    }
    const needs: FaultFamily[] = [];
    for (const family of result.faults) {
      const without = new Set(result.faults.filter((f) => f !== family));
      const rerun = await runSchedule({ ...options, forceFaults: without, fullTrace: false });
      if (!rerun.violations.some((v) => v.invariant === violation.invariant)) needs.push(family);
    }
    // Gone without index lag: the lag is the cause, whatever the symptom looked like.
    // Unexplained by the facts, gone without index lag: the lag is the cause.
    const lagged = defect === 'unclassified' && needs.includes('index-lag');
    out.push({ invariant: violation.invariant, defect: lagged ? 'f' : defect, needs });
  }
  return out;
}
