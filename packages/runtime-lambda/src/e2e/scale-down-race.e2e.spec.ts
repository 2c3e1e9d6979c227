import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('scale-down racing in_progress events', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('terminates zero busy runners when GitHub assigned jobs Hangar has not heard about yet', async () => {
    plane = await startScenario({
      pools: [ec2Pool('race', LABELS, { ephemeral: false, minimumRunningTimeMinutes: 1, maxRunners: 6 })],
      schedules: { scaleDown: 30 },
      // The GSIs lag 20 simulated seconds, as DynamoDB's may: scale-down's own view is older still.
      indexLagSeconds: 20,
    });
    const { fake } = plane;
    // Six reusable runners come up for six short jobs...
    for (let i = 0; i < 6; i += 1) fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 30_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 10 })).toBe(true);
    // ...then long jobs land on them while their in_progress webhooks are held back, so
    // Hangar's own view still says "idle" when scale-down runs.
    const hold = fake.webhooks.addRule({ effect: 'hold', action: 'in_progress' });
    for (let i = 0; i < 4; i += 1)
      fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 8 * 60_000 });
    expect(fake.runners().filter((r) => r.busy)).toHaveLength(4);
    const deletesBefore = fake.calls().byRoute['DELETE /orgs/{org}/actions/runners/{runner_id}'] ?? 0;
    // Past GitHub's busy-flag lag (90 s), when scale-down trusts the idle listing again, and
    // two of its cycles more: the held-back starts are still unrecorded; GitHub's listing (busy)
    // and its 422 are what keep the busy runners, while the idle ones are retired.
    for (let i = 0; i < 16; i += 1) await plane.step();
    const deletes =
      (fake.calls().byRoute['DELETE /orgs/{org}/actions/runners/{runner_id}'] ?? 0) - deletesBefore;
    fake.webhooks.removeRule(hold);
    fake.webhooks.release();
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);

    // Scale-down did try (the race happened) and GitHub's "busy" answer stopped it every time.
    expect(deletes).toBeGreaterThan(0);
    expect(conclusions(fake.jobs())).toEqual({ success: 10 });
    expect(plane.agent.stats.connectFailures).toBe(0);
    expect(plane.infrastructure.indexLag?.reads.lagged).toBeGreaterThan(0);
  });

  it('retires a reusable runner whose job completion was never delivered: GitHub lists it idle, one job read records the completion', async () => {
    plane = await startScenario({
      pools: [
        ec2Pool('lost-completion', LABELS, { ephemeral: false, minimumRunningTimeMinutes: 1, maxRunners: 1 }),
      ],
      schedules: { scaleDown: 30 },
    });
    const { fake } = plane;
    // The job's `completed` never reaches Hangar, and is not in GitHub's failed deliveries either.
    fake.webhooks.addRule({ effect: 'hold', action: 'completed' });
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 30_000 });
    expect(
      await plane.runUntil(() => fake.job(jobId).status === 'completed', { maxSimulatedMinutes: 10 }),
    ).toBe(true);
    const reads = () => fake.calls().byRoute['GET /repos/{owner}/{repo}/actions/jobs/{job_id}'] ?? 0;
    const readsBefore = reads();
    const alive = () => plane.infrastructure.ec2.instances().filter((i) => i.state === 'running').length;
    expect(
      await plane.runUntil(() => alive() === 0 && fake.runners().length === 0, { maxSimulatedMinutes: 20 }),
    ).toBe(true);
    expect(reads() - readsBefore).toBe(1);
  });
});
