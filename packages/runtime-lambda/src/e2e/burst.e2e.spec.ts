import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, machinesPerRunner, startScenario } from './harness';

describe('burst: 40 jobs queued at once on a pool with max 10 runners', () => {
  let plane: LocalControlPlane;

  beforeAll(async () => {
    plane = await startScenario({
      pools: [ec2Pool('burst', ['self-hosted', 'linux', 'x64'], { maxRunners: 10, jobQueuedCheck: false })],
      bootDelaySeconds: 20,
      schedules: { reconciler: 300 },
      // Two pollers × four records each: enough racing on the pool stream to prove the cap.
      queueConcurrency: 2,
      // The GSIs lag the appends by 5 simulated seconds, as DynamoDB's may: every index read
      // in the burst (job events, scale-down, reconciler) sees an older or incomplete index.
      indexLagSeconds: 5,
      // The module's scale-up timeout (60 s). The 20 s default stands for a Lambda killed
      // mid-batch; on a loaded 2-core machine a healthy batch can take that long, and each such
      // "kill" sent its ten records back for a 360 s visibility timeout (crash.e2e covers kills).
      invocationTimeoutMs: 60_000,
    });
    // Four times the pool's maximum, as before at 200/50 and 100/25, at a size that keeps the
    // suite under its time budget: the racing this scenario proves happens at any size (two
    // pollers of four records on one pool stream), and bench/burst runs 1,000 jobs.
    for (let i = 0; i < 40; i += 1) {
      plane.fake.queueJob({
        repo: i % 2 ? 'acme/web' : 'acme/api',
        labels: ['self-hosted', 'linux', 'x64'],
        durationMs: 60_000,
      });
    }
    await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 40 });
  }, 240_000);

  afterAll(async () => {
    await plane.close();
  });

  it('completes all 40 jobs successfully', () => {
    const jobs = plane.fake.jobs();
    expect(jobs).toHaveLength(40);
    expect(conclusions(jobs)).toEqual({ success: 40 });
  });

  it('never had more than 10 runners alive, and did reach the maximum', () => {
    const fleet = plane.observer.snapshot();
    expect(fleet.peakAliveByPool.burst).toBe(10);
    expect(fleet.peakAlive).toBeLessThanOrEqual(10);
  });

  it('launched no machine twice for one runner request', () => {
    const duplicated = [...machinesPerRunner(plane).entries()].filter(([, count]) => count > 1);
    expect(duplicated).toEqual([]);
    expect(plane.observer.snapshot().duplicateLaunches).toBe(0);
  });

  it('ran with the index lagging: index reads did miss or show stale heads', () => {
    expect(plane.infrastructure.indexLag?.reads.lagged).toBeGreaterThan(0);
  });

  it('left nothing in the dead-letter queues', async () => {
    const report = await plane.report();
    expect(report.deadLetters).toEqual({ 'scale-up': 0, 'job-events': 0 });
  });
});
