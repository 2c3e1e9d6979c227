import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runFuzz, type FuzzReport } from './fuzz';
import { startFuzzTarget, type FuzzTarget } from './target';

/**
 * The short run of `pnpm fuzz` (docs/benchmarks.md has the long one): a fixed seed, so it is the
 * same every time. 200 inputs keep it to a few seconds; seed 7 draws every kind of input, three
 * injected dependency failures and five replays within them.
 */
const SEED = 7;
const INPUTS = 200;

let target: FuzzTarget;
let report: FuzzReport;

beforeAll(async () => {
  target = await startFuzzTarget(process.env.HANGAR_TEST_DYNAMODB_ENDPOINT);
  report = await runFuzz(target, { seed: SEED, inputs: INPUTS });
}, 120_000);
afterAll(async () => {
  await target.close();
});

describe(`the webhook under ${INPUTS} generated inputs (seed ${SEED}; replay: pnpm fuzz -- --seed ${SEED} --inputs ${INPUTS})`, () => {
  it('never throws out of the handler', () => {
    expect(report.crashes).toBe(0);
  });

  it('answers 5xx only for the injected dependency failures', () => {
    expect(report.undeclared5xx).toBe(0);
    expect(report.declared5xx).toBeGreaterThan(0);
  });

  it('never writes to DynamoDB nor sends to SQS for an input it rejects, nor calls either at all', () => {
    expect(report.writesForRejected).toBe(0);
    expect(report.callsForRejected).toBe(0);
  });

  it('never records a replayed delivery a second time', () => {
    expect(report.replays).toBeGreaterThan(0);
    expect(report.replaysRecorded).toBe(0);
  });

  it('gives every input the verdict its kind calls for (forged, malformed, oversized: 4xx; valid: 2xx)', () => {
    expect(report.violations).toEqual([]);
    expect(report.wrongVerdicts).toBe(0);
    for (const kind of [
      'valid',
      'replay',
      'forged',
      'mutated',
      'oversized',
      'encoding',
      'odd-shape',
      'other-event',
    ])
      expect(report.byKind[kind]).toBeGreaterThan(0);
  });
});
