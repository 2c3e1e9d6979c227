import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('jobs waiting on a full pool', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  // Three simulated minutes; the timeout is for a loaded machine (about 15 s when idle).
  it('are woken by the slot their predecessor frees, without asking again every 30 s', async () => {
    plane = await startScenario({
      pools: [ec2Pool('one-slot', LABELS, { maxRunners: 1, jobQueuedCheck: false })],
    });
    // Three 30-second jobs on a pool of one: two of them wait about 1 and 2 minutes. Polling
    // every 30 s would deliver about 6 retries; waiting on the pool's list, each is sent once
    // more, when the slot before it is released.
    for (let i = 0; i < 3; i += 1)
      plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 30_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 10 })).toBe(true);

    expect(conclusions(plane.fake.jobs())).toEqual({ success: 3 });
    const fleet = plane.observer.snapshot();
    expect(fleet.duplicateLaunches).toBe(0);
    expect(fleet.peakAliveByPool['one-slot']).toBe(1);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(3);
    // 3 from the webhooks, one wake-up per released slot, and — when GitHub gives a job's
    // runner to an older waiting job — the wake-up passed on and that job's new request: at
    // most 7. Asking again every 30 s delivered at least 9 (6 retries over the two waits).
    expect(plane.queues.scaleUp.stats.recordsDelivered).toBeLessThanOrEqual(7);
  }, 180_000);
});
