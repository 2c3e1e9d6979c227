import fc from 'fast-check';
import { fuzzCase, type FuzzCase } from './cases';
import { materialize, type Expectation, type FuzzContext } from './materialize';
import { muted, type FuzzTarget, type Outcome } from './target';

/** One broken promise, with what is needed to replay it. */
export interface FuzzViolation {
  readonly index: number;
  readonly rule: 'crash' | 'undeclared-5xx' | 'write-for-rejected' | 'second-record' | 'wrong-verdict';
  readonly expect: Expectation;
  readonly status: number | null;
  readonly detail: string;
  readonly input: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly inputs: number;
  readonly byKind: Record<string, number>;
  readonly byStatus: Record<string, number>;
  readonly crashes: number;
  readonly declared5xx: number;
  readonly undeclared5xx: number;
  /** Inputs answered 4xx that still wrote to DynamoDB or sent to SQS. */
  readonly writesForRejected: number;
  /** 4xx answers that made any DynamoDB or SQS call at all (reads included). */
  readonly callsForRejected: number;
  readonly replays: number;
  readonly replaysRecorded: number;
  readonly wrongVerdicts: number;
  readonly violations: readonly FuzzViolation[];
  readonly wallSeconds: number;
}

const KEPT_VIOLATIONS = 25;
const KEPT_REPLAYABLE = 500;

function rulesBroken(
  expect: Expectation,
  outcome: Outcome,
  faulted: boolean,
): [FuzzViolation['rule'], string][] {
  const { status, writes, sends } = outcome;
  const broken: [FuzzViolation['rule'], string][] = [];
  if (outcome.threw !== null) return [['crash', String((outcome.threw as Error)?.stack ?? outcome.threw)]];
  const code = status ?? 0;
  if (code >= 500 && !faulted)
    broken.push(['undeclared-5xx', `answered ${code} with no dependency failure injected`]);
  if (code >= 400 && code < 500 && writes + sends > 0)
    broken.push(['write-for-rejected', `answered ${code} after ${writes} writes and ${sends} sends`]);
  const ok = code >= 200 && code < 300;
  if (expect === 'rejected' && !(code >= 400 && code < 500))
    broken.push(['wrong-verdict', `invalid input answered ${code}`]);
  if ((expect === 'accepted' && !ok && !(faulted && code === 503)) || (expect === 'replay' && !ok))
    broken.push(['wrong-verdict', `valid delivery answered ${code}`]);
  if (expect === 'replay' && writes > 0) broken.push(['second-record', `a replay wrote ${writes} times`]);
  if (expect === 'ignored' && (!ok || writes + sends > 0))
    broken.push(['wrong-verdict', `unhandled event answered ${code} after ${writes + sends} writes/sends`]);
  return broken;
}

/** Inputs in flight at once; faulted inputs run alone (their fault is global to the emulator). */
const CONCURRENCY = 16;

/** The next batch: up to CONCURRENCY inputs, or one faulted input on its own. */
function nextBatch(cases: readonly FuzzCase[], from: number): number {
  let end = from;
  while (end < cases.length && end - from < CONCURRENCY) {
    const input = cases[end] as FuzzCase;
    const faulted = input.kind === 'valid' && input.fault !== null;
    if (faulted) return end === from ? end + 1 : end;
    end += 1;
  }
  return end;
}

/**
 * Feeds `inputs` generated inputs (fast-check, `seed`) to the webhook, up to 16 at a time, and
 * checks every answer: nothing thrown, no 5xx but the injected dependency failures, no write or
 * send for an input answered 4xx, no second record for a replay. Inputs are generated and
 * materialized in index order and replays only repeat deliveries accepted in earlier batches,
 * so inputs 0..k-1 of a seed are always the same: `--inputs k` replays a run up to any input.
 */
export async function runFuzz(
  target: FuzzTarget,
  options: {
    readonly seed: number;
    readonly inputs: number;
    readonly progress?: (done: number) => void;
    /** Starts no batch after this many ms (a bound for a shared machine); the report counts inputs run. */
    readonly stopAfterMs?: number;
  },
): Promise<FuzzReport> {
  const started = Date.now();
  const cases = fc.sample(fuzzCase, { seed: options.seed, numRuns: options.inputs });
  const ctx: FuzzContext = { secret: target.secret, accepted: [], n: 0 };
  const tally = new Tally();
  let from = 0;
  while (from < cases.length) {
    if (options.stopAfterMs !== undefined && Date.now() - started >= options.stopAfterMs) break;
    const end = nextBatch(cases, from);
    const batch = cases.slice(from, end).map((input) => ({ input, made: materialize(input, ctx) }));
    const first = batch[0]?.input;
    const faulted = first?.kind === 'valid' && first.fault !== null;
    if (faulted && first.kind === 'valid' && first.fault) target.inject(first.fault);
    const outcomes = await muted(() => Promise.all(batch.map(({ made }) => target.invoke(made.event))));
    target.clearFaults();
    batch.forEach(({ input, made }, i) => {
      const outcome = outcomes[i] as Outcome;
      tally.add(from + i, input, made.expect, outcome, faulted);
      const code = outcome.status ?? 0;
      if (made.replayable && code >= 200 && code < 300) {
        ctx.accepted.push(made.replayable);
        if (ctx.accepted.length > KEPT_REPLAYABLE) ctx.accepted.shift();
      }
    });
    if (Math.floor(end / 1000) > Math.floor(from / 1000)) options.progress?.(end);
    from = end;
  }
  return {
    seed: options.seed,
    inputs: from,
    ...tally.figures(),
    wallSeconds: (Date.now() - started) / 1000,
  };
}

/** The counters of a run. */
class Tally {
  readonly byKind: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  readonly violations: FuzzViolation[] = [];
  private readonly totals = {
    crashes: 0,
    declared5xx: 0,
    undeclared5xx: 0,
    writesForRejected: 0,
    callsForRejected: 0,
  };
  private readonly more = { replays: 0, replaysRecorded: 0, wrongVerdicts: 0 };

  add(index: number, input: FuzzCase, expect: Expectation, outcome: Outcome, faulted: boolean): void {
    this.byKind[input.kind] = (this.byKind[input.kind] ?? 0) + 1;
    const status = outcome.threw === null ? String(outcome.status) : 'threw';
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    const code = outcome.status ?? 0;
    if (outcome.threw !== null) this.totals.crashes += 1;
    if (code >= 500) this.totals[faulted ? 'declared5xx' : 'undeclared5xx'] += 1;
    if (code >= 400 && code < 500 && outcome.calls > 0) this.totals.callsForRejected += 1;
    if (expect === 'replay') this.more.replays += 1;
    for (const [rule, detail] of rulesBroken(expect, outcome, faulted)) {
      if (rule === 'write-for-rejected') this.totals.writesForRejected += 1;
      if (rule === 'second-record') this.more.replaysRecorded += 1;
      if (rule === 'wrong-verdict') this.more.wrongVerdicts += 1;
      if (this.violations.length < KEPT_VIOLATIONS)
        this.violations.push({
          index,
          rule,
          expect,
          status: outcome.status,
          detail,
          input: JSON.stringify(input).slice(0, 400),
        });
    }
  }

  figures() {
    return {
      byKind: this.byKind,
      byStatus: this.byStatus,
      ...this.totals,
      ...this.more,
      violations: this.violations,
    };
  }
}
