import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('ephemeral runner lifecycle', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('launches one machine for a job, runs the job on it, then the machine terminates and the registration and secret are gone', async () => {
    plane = await startScenario({ pools: [ec2Pool('eph', LABELS)] });
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 120_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);
    // Give the instance time to shut down and scale-down/reconciler a pass.
    for (let i = 0; i < 12; i += 1) await plane.step();

    const job = plane.fake.job(jobId);
    expect(job).toMatchObject({ status: 'completed', conclusion: 'success' });
    const instances = plane.infrastructure.ec2.instances();
    expect(instances).toHaveLength(1);
    expect(instances[0]?.state).toBe('terminated');
    // Named after the deployment (the local plane's table) when the pool sets no prefix.
    expect(job.runnerName).toMatch(new RegExp(`-hgr-${instances[0]?.tags['hangar:runner-id']}$`));
    expect(plane.fake.runners()).toEqual([]);
    expect(
      plane.infrastructure.ssm.parameters().filter((p) => p.name.startsWith('/hangar/runners/')),
    ).toEqual([]);
    expect(plane.agent.stats).toMatchObject({ runnersConnected: 1, selfShutdowns: 1 });
  });
});

describe('reusable runners with an idle_config window', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('keeps 2 runners idle while the window is on, then scales to zero after it', async () => {
    plane = await startScenario({
      // The clock starts at 08:00 UTC; the window is on from 08:00 to 08:59.
      pools: [
        ec2Pool('reuse', LABELS, {
          ephemeral: false,
          minimumRunningTimeMinutes: 2,
          idleWindows: [{ cron: '* * 8 * * *', idleCount: 2 }],
        }),
      ],
    });
    plane.clock.advance(35 * 60_000);
    for (let i = 0; i < 4; i += 1)
      plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 10 })).toBe(true);
    const launched = plane.observer.snapshot().launched;
    expect(launched).toBe(4);

    // Until 08:59 the window keeps two idle runners; the other two are scaled down.
    await plane.runUntil(() => plane.clock.now() >= '2026-01-05T08:58:00.000Z', { maxSimulatedMinutes: 30 });
    expect(plane.observer.aliveIn('reuse')).toBe(2);
    const online = plane.fake.runners().filter((r) => r.status === 'online');
    expect(online).toHaveLength(2);
    expect(online.every((r) => !r.ephemeral && !r.busy)).toBe(true);

    // After the window: nothing idle is kept.
    await plane.runUntil(() => plane.clock.now() >= '2026-01-05T09:08:00.000Z', { maxSimulatedMinutes: 15 });
    expect(plane.observer.aliveIn('reuse')).toBe(0);
    expect(plane.fake.runners()).toEqual([]);
    expect(plane.observer.snapshot().launched).toBe(4);
  });
});
