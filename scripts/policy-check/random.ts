// `--random N`: fast-check generates traces shaped by the configuration (its pools' labels and
// owners, allowed repositories, plus some jobs no pool serves) and every one must keep the
// invariants. A failure is shrunk to a small trace and printed so it can be saved and replayed.
import fc from 'fast-check';
import type { PoolConfig } from '../../packages/core/src/index';
import type { PolicyCheckConfig } from './config';
import { simulate } from './simulate';
import type { Trace, TraceJob } from './trace';

const START = '2026-03-02T08:00:00.000Z';

function reposFor(config: PolicyCheckConfig, owner: string): string[] {
  const allowed = config.settings.repositoryAllowList
    .map((entry) => entry.split('/'))
    .filter(([entryOwner]) => entryOwner?.toLowerCase() === owner.toLowerCase())
    .map(([, repo]) => repo ?? 'app');
  return allowed.length > 0 ? allowed : ['app'];
}

/** A job aimed at one pool: a subset of its labels (always `self-hosted`), one of its repos. */
function jobFor(config: PolicyCheckConfig, pool: PoolConfig): fc.Arbitrary<Omit<TraceJob, 'id'>> {
  const labels = pool.labels.filter((label) => label.toLowerCase() !== 'self-hosted');
  return fc.record({
    atMinute: fc.integer({ min: 0, max: 30 }),
    owner: fc.constant(pool.owner),
    // A repo-level pool serves its one repository only.
    repo:
      pool.level === 'repo' && pool.repo
        ? fc.constant(pool.repo)
        : fc.constantFrom(...reposFor(config, pool.owner)),
    labels: fc
      .subarray(labels, { minLength: labels.length > 0 ? 1 : 0 })
      .map((picked) => ['self-hosted', ...picked]),
    durationMinutes: fc.integer({ min: 1, max: 15 }),
  });
}

/** A job no pool serves (an unknown label), which must not disturb the others. */
const strayJob = (owner: string): fc.Arbitrary<Omit<TraceJob, 'id'>> =>
  fc.record({
    atMinute: fc.integer({ min: 0, max: 30 }),
    owner: fc.constant(owner),
    repo: fc.constant('app'),
    labels: fc.constant(['self-hosted', 'no-such-label-xyz']),
    durationMinutes: fc.integer({ min: 1, max: 5 }),
  });

export function traceArb(config: PolicyCheckConfig): fc.Arbitrary<Trace> {
  const pools = config.settings.pools;
  const owner = pools[0]?.owner ?? 'acme';
  const job = fc.oneof(
    { weight: 9, arbitrary: fc.oneof(...pools.map((pool) => jobFor(config, pool))) },
    { weight: 1, arbitrary: strayJob(owner) },
  );
  return fc.array(job, { minLength: 1, maxLength: 25 }).map((jobs) => ({
    start: START,
    jobs: [...jobs]
      .sort((a, b) => a.atMinute - b.atMinute)
      .map((entry, index) => ({ ...entry, id: index + 1 })),
  }));
}

export type RandomOutcome =
  { readonly ok: true; readonly runs: number } | { readonly ok: false; readonly report: string };

/** Runs `runs` generated traces; the first that breaks an invariant is shrunk and reported. */
export async function checkRandomTraces(
  config: PolicyCheckConfig,
  runs: number,
  seed: number | undefined,
): Promise<RandomOutcome> {
  const details = await fc.check(
    fc.asyncProperty(traceArb(config), async (trace) => {
      const result = await simulate(config, trace);
      if (result.violations.length > 0) throw new Error(result.violations.join('\n'));
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
  if (!details.failed) return { ok: true, runs: details.numRuns };
  const trace = details.counterexample?.[0];
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return {
    ok: false,
    report: [
      `a generated trace broke an invariant (seed ${details.seed}, path ${details.counterexamplePath ?? 'n/a'}):`,
      ...error.split('\n').map((line) => `  ✗ ${line}`),
      'smallest failing trace (save it as a --trace file to replay):',
      JSON.stringify(trace, null, 2),
    ].join('\n'),
  };
}
