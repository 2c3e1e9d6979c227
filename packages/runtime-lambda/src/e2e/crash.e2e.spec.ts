import { afterEach, describe, expect, it } from '@jest/globals';
import { acceptedThenThrottled } from '@hangar/test-support/aws/ec2';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, fargatePool, machinesPerRunner, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

describe('a scale-up handler killed between the launch and its record', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('redelivers the SQS message and finds the machine by its launch key, without launching again: one EC2 instance, job done', async () => {
    // The redelivery comes within the bootstrap's 5-minute secret wait (the module's 360 s
    // visibility timeout would come after it, and the first machine would power off unused).
    plane = await startScenario({
      pools: [ec2Pool('crash', LABELS)],
      invocationTimeoutMs: 3_000,
      visibilityTimeoutSeconds: 120,
    });
    // CreateFleet reaches EC2 (the instance exists) but the handler never hears back: killed.
    plane.infrastructure.proxies.ec2.swallowAnswers('CreateFleet');
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);

    expect(plane.infrastructure.proxies.ec2.swallowed()).toBe(1);
    expect(plane.queues.scaleUp.stats.invocationsTimedOut).toBeGreaterThanOrEqual(1);
    expect(plane.infrastructure.proxies.ec2.calls().CreateFleet).toBe(1);
    const instances = plane.infrastructure.ec2.instances();
    expect(instances).toHaveLength(1);
    expect(plane.fake.job(jobId)).toMatchObject({
      conclusion: 'success',
      // Named after the deployment (the local plane's table) when the pool sets no prefix.
      runnerName: expect.stringMatching(new RegExp(`-hgr-${instances[0]?.tags['hangar:runner-id']}$`)),
    });
  });

  it('a launch accepted whose answer was lost and whose retries were throttled is found by its launch key: one machine, never above max', async () => {
    plane = await startScenario({
      pools: [ec2Pool('lost-answer', LABELS, { maxRunners: 1 })],
      visibilityTimeoutSeconds: 120,
    });
    // EC2 starts the instance, answers 500; the SDK's two retries (same ClientToken) are throttled.
    for (const fault of acceptedThenThrottled('CreateFleet', 'RequestLimitExceeded', 2))
      plane.infrastructure.ec2.faults.add(fault);
    const { jobId } = plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);

    const instances = plane.infrastructure.ec2.instances();
    expect(instances).toHaveLength(1);
    expect(plane.observer.snapshot().peakAliveByPool).toEqual({ 'lost-answer': 1 });
    expect(plane.fake.job(jobId)).toMatchObject({
      conclusion: 'success',
      // Named after the deployment (the local plane's table) when the pool sets no prefix.
      runnerName: expect.stringMatching(new RegExp(`-hgr-${instances[0]?.tags['hangar:runner-id']}$`)),
    });
  });

  it('does the same for a Fargate RunTask: one task, job done', async () => {
    plane = await startScenario({
      pools: [fargatePool('crash-fargate', LABELS)],
      invocationTimeoutMs: 3_000,
      visibilityTimeoutSeconds: 120,
    });
    plane.infrastructure.proxies.ecs.swallowAnswers('RunTask');
    plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);

    expect(plane.infrastructure.proxies.ecs.swallowed()).toBe(1);
    const tasks = plane.infrastructure.ecs.tasks();
    expect(tasks).toHaveLength(1);
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 1 });
    expect(plane.fake.jobs()[0]?.runnerName).toMatch(
      new RegExp(`-hgr-${tasks[0]?.tags['hangar:runner-id']}$`),
    );
  });

  it('a RunTask accepted whose answer was lost and whose retries were throttled is found by its launch key: one task', async () => {
    plane = await startScenario({
      pools: [fargatePool('lost-answer-fargate', LABELS, { maxRunners: 1 })],
      visibilityTimeoutSeconds: 120,
    });
    for (const fault of acceptedThenThrottled('RunTask', 'ThrottlingException', 2))
      plane.infrastructure.ecs.faults.add(fault);
    plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 })).toBe(true);

    expect(plane.infrastructure.ecs.tasks()).toHaveLength(1);
    expect(plane.observer.snapshot().peakAliveByPool).toEqual({ 'lost-answer-fargate': 1 });
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 1 });
  });

  it('with the module visibility timeout (360 s, longer than the 300 s secret wait) loses only time: the idle machine powers off, the job still runs once, no request gets two machines', async () => {
    plane = await startScenario({ pools: [ec2Pool('crash-slow', LABELS)], invocationTimeoutMs: 3_000 });
    plane.infrastructure.proxies.ec2.swallowAnswers('CreateFleet');
    plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 30 })).toBe(true);

    expect(conclusions(plane.fake.jobs())).toEqual({ success: 1 });
    expect(plane.agent.stats.secretsNotFound + plane.agent.stats.connectFailures).toBeGreaterThanOrEqual(1);
    expect([...machinesPerRunner(plane).values()].every((n) => n === 1)).toBe(true);
  });
});
