import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { logicalJobs } from '../local/report';
import { allFinished, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('spot interruption during a job', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('requests the job again and it completes on a new runner', async () => {
    plane = await startScenario({ pools: [ec2Pool('spot', LABELS)] });
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 10 * 60_000 });
    await plane.runUntil(() => plane.fake.job(jobId).status === 'in_progress', { maxSimulatedMinutes: 5 });
    const [victim] = plane.infrastructure.ec2.instances();
    expect(victim?.lifecycle).toBe('spot');
    plane.infrastructure.ec2.interruptSpot(victim?.instanceId as string);

    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 30 })).toBe(true);
    const attempts = [...logicalJobs(plane.fake.jobs()).values()][0] ?? [];
    expect(attempts.map((j) => [j.runAttempt, j.conclusion])).toEqual([
      [1, 'failure'],
      [2, 'success'],
    ]);
    const instances = plane.infrastructure.ec2.instances();
    expect(instances).toHaveLength(2);
    expect(new Set(instances.map((i) => i.tags['hangar:runner-id'])).size).toBe(2);
    expect(attempts[1]?.runnerName).not.toBe(attempts[0]?.runnerName);
  });
});
