import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, machinesPerRunner, poolOfRunner, startScenario } from './harness';

const X64 = ['self-hosted', 'linux', 'x64'];
const ARM = ['self-hosted', 'linux', 'arm64'];

describe('duplicate, reordered and dropped webhooks', () => {
  let plane: LocalControlPlane;
  const expectedPool = new Map<number, string>();

  beforeAll(async () => {
    plane = await startScenario({
      pools: [
        ec2Pool('x64', X64),
        ec2Pool('arm64', ARM, {
          compute: {
            kind: 'ec2',
            launchTemplateName: 'lt-arm',
            subnetIds: ['subnet-0a1b2c3d'],
            instanceTypes: ['m7g.large'],
          },
        }),
      ],
      environment: { HANGAR_JOB_RETRY_AFTER_MINUTES: '3' },
      schedules: { reconciler: 60 },
    });
    const { fake } = plane;
    const queue = (labels: string[], pool: string, webhook?: { effect: 'drop' | 'duplicate' }) => {
      const { jobId } = fake.queueJob({
        repo: 'acme/web',
        labels,
        durationMs: 90_000,
        ...(webhook ? { webhook } : {}),
      });
      expectedPool.set(jobId, pool);
      return jobId;
    };
    // Every delivery of these goes out twice.
    for (let i = 0; i < 3; i += 1) queue(X64, 'x64', { effect: 'duplicate' });
    for (let i = 0; i < 3; i += 1) queue(ARM, 'arm64', { effect: 'duplicate' });
    // These never arrive: GitHub records failed deliveries and does not retry them.
    queue(X64, 'x64', { effect: 'drop' });
    queue(ARM, 'arm64', { effect: 'drop' });
    // Reordered: hold in_progress/completed deliveries and release them newest first.
    const held = fake.webhooks.addRule({ effect: 'hold', action: 'in_progress' });
    const heldCompleted = fake.webhooks.addRule({ effect: 'hold', action: 'completed' });
    for (let i = 0; i < 2; i += 1) queue(X64, 'x64');
    for (let i = 0; i < 2; i += 1) queue(ARM, 'arm64');
    await plane.runUntil(() => fake.jobs().every((j) => j.status === 'completed'), {
      maxSimulatedMinutes: 20,
    });
    fake.webhooks.removeRule(held);
    fake.webhooks.removeRule(heldCompleted);
    const guids = fake.webhooks
      .held()
      .map((h) => h.guid)
      .reverse();
    fake.webhooks.release(guids);
    await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 });
    for (let i = 0; i < 12; i += 1) await plane.step();
  }, 90_000);

  afterAll(async () => {
    await plane.close();
  });

  it('ran every job exactly once, successfully', () => {
    const jobs = plane.fake.jobs();
    expect(jobs).toHaveLength(expectedPool.size);
    expect(jobs.every((j) => j.runAttempt === 1)).toBe(true);
    expect(conclusions(jobs)).toEqual({ success: expectedPool.size });
  });

  it('ran every job on a runner of its own configuration', () => {
    for (const job of plane.fake.jobs()) {
      expect({ job: job.id, pool: poolOfRunner(plane, job.runnerName) }).toEqual({
        job: job.id,
        pool: expectedPool.get(job.id),
      });
    }
  });

  it('recovered the dropped deliveries through redelivery and never launched a machine twice', () => {
    const redeliveries = plane.fake.deliveries().filter((d) => d.redelivery && d.action === 'queued');
    expect(redeliveries.length).toBeGreaterThanOrEqual(2);
    expect([...machinesPerRunner(plane).values()].every((n) => n === 1)).toBe(true);
  });

  it('left no machine running after the work was done', () => {
    expect(plane.observer.snapshot().alive).toBe(0);
  });
});

describe('a job whose in_progress and completed never arrive', () => {
  let plane: LocalControlPlane;
  afterAll(async () => {
    await plane.close();
  });

  it("is closed from GitHub's answer to the job-queued check: one job read, no runner asked for again", async () => {
    plane = await startScenario({
      pools: [ec2Pool('lost-facts', X64, { maxRunners: 2 })],
      environment: { HANGAR_JOB_RETRY_AFTER_MINUTES: '3' },
      schedules: { reconciler: 60 },
    });
    const { fake } = plane;
    // Neither delivery reaches Hangar, nor is either among GitHub's failed deliveries.
    fake.webhooks.addRule({ effect: 'hold', action: 'in_progress' });
    fake.webhooks.addRule({ effect: 'hold', action: 'completed' });
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: X64, durationMs: 30_000 });
    // The runner ran it and went; the reconciler asks for a runner again, and scale-up asks GitHub.
    expect(
      await plane.runUntil(() => fake.job(jobId).status === 'completed', { maxSimulatedMinutes: 10 }),
    ).toBe(true);
    for (let minute = 0; minute < 15; minute += 1) await plane.step(60);
    expect(fake.calls().byRoute['GET /repos/{owner}/{repo}/actions/jobs/{job_id}']).toBe(1);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(1);
  });
});
