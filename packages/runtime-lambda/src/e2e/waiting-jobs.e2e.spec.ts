import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('jobs waiting on a full pool', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  // About five simulated minutes; the timeout is for a loaded machine (about 20 s when idle).
  it('are woken by the slot their predecessor frees, without asking again every 30 s', async () => {
    plane = await startScenario({
      pools: [ec2Pool('one-slot', LABELS, { maxRunners: 1, jobQueuedCheck: false })],
    });
    // Three one-minute jobs on a pool of one: two of them wait about 1.5 and 3 minutes. Polling
    // every 30 s delivers about 9 retries; waiting on the pool's list, a job is sent again
    // only when a slot is released.
    for (let i = 0; i < 3; i += 1)
      plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 10 })).toBe(true);

    expect(conclusions(plane.fake.jobs())).toEqual({ success: 3 });
    const fleet = plane.observer.snapshot();
    expect(fleet.duplicateLaunches).toBe(0);
    expect(fleet.peakAliveByPool['one-slot']).toBe(1);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(3);
    // 3 from the webhooks, then per released slot a wake-up and — when GitHub gave a job's
    // runner to an older waiting job — the wake-up passed on and that job's new request (each
    // possibly sent once more if a slot was freed while it was refused): 6 to 9. Asking again
    // every 30 s delivered at least 12 (9 retries over the two waits).
    expect(plane.queues.scaleUp.stats.recordsDelivered).toBeLessThanOrEqual(10);
  }, 180_000);
});
