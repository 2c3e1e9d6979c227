import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { logicalJobs } from '../local/report';
import { allFinished, ec2Pool, startScenario } from './harness';

/**
 * The whole control plane with the event store's GSIs lagging (indexLagSeconds: the real
 * DynamoDB adapter behind an index-lag fault shared by every function): index reads miss new
 * runners and show ended ones as live for that long. Outcomes must not change, only timing.
 */
const LABELS = ['self-hosted', 'linux', 'x64'];

describe('with the stream index lagging', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('a spot interruption before the index shows the machine is still seen (the pools’ runners are searched on their streams), and the job is re-run and completes', async () => {
    // 60 s: longer than the boot, so the job starts and the machine is reclaimed while the
    // index does not show the machine yet.
    plane = await startScenario({ pools: [ec2Pool('spot', LABELS)], indexLagSeconds: 60 });
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 10 * 60_000 });
    await plane.runUntil(() => plane.fake.job(jobId).status === 'in_progress', { maxSimulatedMinutes: 5 });
    const [victim] = plane.infrastructure.ec2.instances();
    expect(plane.infrastructure.indexLag?.lagging()).toContain(`runner-${victim?.tags['hangar:runner-id']}`);
    plane.infrastructure.ec2.interruptSpot(victim?.instanceId as string);

    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 30 })).toBe(true);
    const attempts = [...logicalJobs(plane.fake.jobs()).values()][0] ?? [];
    expect(attempts.map((j) => [j.runAttempt, j.conclusion])).toEqual([
      [1, 'failure'],
      [2, 'success'],
    ]);
    expect(plane.infrastructure.indexLag?.reads.lagged).toBeGreaterThan(0);
  });
});
