import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, fargatePool, poolOfRunner, startScenario } from './harness';

describe('a Fargate configuration alongside an EC2 one', () => {
  let plane: LocalControlPlane;
  const routed = new Map<number, string>();

  beforeAll(async () => {
    plane = await startScenario({
      pools: [
        ec2Pool('ec2-x64', ['self-hosted', 'linux', 'x64']),
        fargatePool('fargate-small', ['self-hosted', 'linux', 'small']),
      ],
    });
    for (let i = 0; i < 4; i += 1) {
      routed.set(
        plane.fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux', 'x64'], durationMs: 60_000 })
          .jobId,
        'ec2-x64',
      );
      routed.set(
        plane.fake.queueJob({
          repo: 'acme/api',
          labels: ['self-hosted', 'linux', 'small'],
          durationMs: 60_000,
        }).jobId,
        'fargate-small',
      );
    }
    await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 });
    for (let i = 0; i < 6; i += 1) await plane.step();
  }, 60_000);

  afterAll(async () => {
    await plane.close();
  });

  it('routes jobs by labels: small jobs on Fargate tasks, x64 jobs on EC2 instances', () => {
    for (const job of plane.fake.jobs()) {
      expect({ job: job.id, pool: poolOfRunner(plane, job.runnerName) }).toEqual({
        job: job.id,
        pool: routed.get(job.id),
      });
    }
    expect(plane.infrastructure.ecs.tasks()).toHaveLength(4);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(4);
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 8 });
  });

  it('stops every Fargate task after its job, as the EC2 instances terminate', () => {
    expect(plane.infrastructure.ecs.tasks().every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    expect(plane.infrastructure.ec2.instances().every((i) => i.state === 'terminated')).toBe(true);
  });

  it('gave every instance and task a secret under an unguessable name, bound to it alone: all read, none denied, none left', () => {
    const name = /^\/hangar\/runners\/j\d+-\d+\.[0-9a-f]{32}$/;
    for (const instance of plane.infrastructure.ec2.instances())
      expect(instance.tags['hangar:secret-path']).toMatch(name);
    for (const task of plane.infrastructure.ecs.tasks()) {
      const paths = Object.values(task.environment).map((vars) => vars.HANGAR_SECRET_PATH);
      expect(paths.filter(Boolean)).toEqual([expect.stringMatching(name)]);
    }
    expect(plane.agent.stats).toMatchObject({ runnersConnected: 8, secretsDenied: 0, secretsNotFound: 0 });
    const left = plane.infrastructure.ssm.parameters().filter((p) => p.name.startsWith('/hangar/runners/'));
    expect(left).toEqual([]);
  });
});
