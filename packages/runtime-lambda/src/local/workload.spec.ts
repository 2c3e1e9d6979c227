import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { poolsSchema } from '../config/pools-schema';
import type { Workload } from './demo-run';
import { buildTrace, seededRandom, type TraceShape } from './workload';

const shape: TraceShape = {
  seed: 7,
  repos: ['acme/web', 'acme/api'],
  classes: [
    { labels: ['self-hosted', 'x64'], weight: 3, minSeconds: 60, maxSeconds: 120 },
    { labels: ['self-hosted', 'small'], weight: 1, minSeconds: 30, maxSeconds: 40 },
  ],
  minutes: 30,
  backgroundJobs: 400,
  bursts: [{ atMinute: 5, count: 50, classIndex: 1 }],
  duplicateRate: 0.1,
  dropRate: 0.05,
};

describe('buildTrace', () => {
  it('is the same trace for the same seed and a different one for another seed', () => {
    expect(buildTrace(shape)).toEqual(buildTrace(shape));
    expect(buildTrace({ ...shape, seed: 8 })).not.toEqual(buildTrace(shape));
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it('holds the background jobs and bursts, sorted by time, within the trace window and duration bounds', () => {
    const trace = buildTrace(shape);
    expect(trace).toHaveLength(450);
    expect(
      trace.filter((j) => j.atSeconds === 300 && j.labels.includes('small')).length,
    ).toBeGreaterThanOrEqual(50);
    expect(trace.every((j, i) => i === 0 || (trace[i - 1]?.atSeconds ?? 0) <= j.atSeconds)).toBe(true);
    expect(trace.every((j) => j.atSeconds >= 0 && j.atSeconds < 30 * 60)).toBe(true);
    for (const job of trace) {
      const [min, max] = job.labels.includes('small') ? [30, 40] : [60, 120];
      expect(job.durationSeconds).toBeGreaterThanOrEqual(min);
      expect(job.durationSeconds).toBeLessThanOrEqual(max);
    }
  });

  it('injects webhook faults at about the configured rates', () => {
    const trace = buildTrace({ ...shape, backgroundJobs: 4000, bursts: [] });
    const rate = (effect: string) => trace.filter((j) => j.webhook?.effect === effect).length / trace.length;
    expect(rate('drop')).toBeGreaterThan(0.03);
    expect(rate('drop')).toBeLessThan(0.07);
    expect(rate('duplicate')).toBeGreaterThan(0.07);
    expect(rate('duplicate')).toBeLessThan(0.13);
  });
});

describe('the bundled demo workload', () => {
  it('holds pools the runtime accepts and a trace of a few hundred jobs', () => {
    const workload = JSON.parse(
      readFileSync(new URL('../../../../scripts/demo/workload.json', import.meta.url), 'utf8'),
    ) as Workload;
    expect(poolsSchema.safeParse(workload.pools).success).toBe(true);
    const jobs = buildTrace({ ...workload.trace, repos: workload.repos }).length;
    expect(jobs).toBeGreaterThanOrEqual(200);
    expect(jobs).toBeLessThanOrEqual(400);
  });
});
