import { afterEach, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('cloud capacity and API faults', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('fails over to on-demand when spot answers InsufficientInstanceCapacity', async () => {
    plane = await startScenario({
      pools: [
        ec2Pool('failover', LABELS, {
          capacity: { type: 'spot', onDemandFailoverFor: ['InsufficientInstanceCapacity'] },
        }),
      ],
    });
    plane.infrastructure.ec2.setCapacity({ market: 'spot', available: 0 });
    for (let i = 0; i < 3; i += 1)
      plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);

    const instances = plane.infrastructure.ec2.instances();
    expect(instances).toHaveLength(3);
    expect(instances.every((i) => i.lifecycle === 'on-demand')).toBe(true);
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 3 });
  });

  it('stays on spot and retries when the pool has no failover configured, launching once capacity is back', async () => {
    plane = await startScenario({ pools: [ec2Pool('spot-only', LABELS, { maxLaunchAttempts: 10 })] });
    plane.infrastructure.ec2.setCapacity({ market: 'spot', available: 0 });
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    for (let i = 0; i < 6; i += 1) await plane.step();
    expect(plane.infrastructure.ec2.instances()).toHaveLength(0);
    plane.infrastructure.ec2.setCapacity({ market: 'spot', available: 'unlimited' });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);
    expect(plane.infrastructure.ec2.instances().map((i) => i.lifecycle)).toEqual(['spot']);
    expect(plane.fake.job(jobId).conclusion).toBe('success');
  });

  it('retries a throttled CreateFleet (RequestLimitExceeded) until the launch goes through', async () => {
    plane = await startScenario({ pools: [ec2Pool('throttled', LABELS)] });
    plane.infrastructure.ec2.faults.add({
      action: 'CreateFleet',
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
      httpStatus: 503,
      times: 5,
    });
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);
    expect(plane.infrastructure.proxies.ec2.calls().CreateFleet).toBeGreaterThanOrEqual(6);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(1);
    expect(plane.fake.job(jobId).conclusion).toBe('success');
  });

  it('survives GitHub 5xx answers on JIT config generation', async () => {
    plane = await startScenario({ pools: [ec2Pool('gh5xx', LABELS)] });
    plane.fake.faults.add({
      method: 'POST',
      path: '/orgs/{org}/actions/runners/generate-jitconfig',
      status: 502,
      times: 4,
    });
    for (let i = 0; i < 2; i += 1)
      plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 2 });
    expect(plane.observer.snapshot().duplicateLaunches).toBe(0);
  });
});
