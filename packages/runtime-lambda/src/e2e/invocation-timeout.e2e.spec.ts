import { afterEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];

/** Every call the handlers made so far: AWS by action, GitHub by route. */
function callCounts(plane: LocalControlPlane): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [service, proxy] of Object.entries(plane.infrastructure.proxies))
    for (const [action, n] of Object.entries(proxy.calls())) counts[`${service} ${action}`] = n;
  for (const [route, n] of Object.entries(plane.fake.calls().byRoute)) counts[`github ${route}`] = n;
  return counts;
}

/** Waits (bounded) until no call has been made for a while: whatever is still running has run. */
async function quiet(plane: LocalControlPlane): Promise<void> {
  let last = JSON.stringify(callCounts(plane));
  for (let round = 0; round < 60; round += 1) {
    await sleep(250);
    const now = JSON.stringify(callCounts(plane));
    // The late answer has come back once the stopped invocation tried its next call.
    if (now === last && plane.infrastructure.invocations.stats.refused > 0) return;
    last = now;
  }
}

describe('a handler invocation that exceeds its timeout', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  it('stops like a Lambda at its deadline: the launch answer arriving later leads to no further AWS or GitHub call', async () => {
    plane = await startScenario({
      pools: [ec2Pool('timeout', LABELS)],
      invocationTimeoutMs: 4_000,
      visibilityTimeoutSeconds: 120,
    });
    // CreateFleet takes effect at once but its answer comes after the invocation's deadline.
    plane.infrastructure.proxies.ec2.faults.add('CreateFleet', { kind: 'delay', ms: 8_000 });
    plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 });
    await plane.step();
    expect(plane.queues.scaleUp.stats.invocationsTimedOut).toBe(1);
    const atDeadline = callCounts(plane);
    await quiet(plane);
    // Had it kept running, it would have recorded the machine, registered the runner with
    // GitHub and written the JIT config to SSM, all after its deadline.
    expect(callCounts(plane)).toEqual(atDeadline);
    expect(plane.infrastructure.invocations.stats.refused).toBeGreaterThanOrEqual(1);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(1);

    // SQS delivers the message again: the same launch key finds the same machine.
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);
    expect(plane.infrastructure.ec2.instances()).toHaveLength(1);
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 1 });
  });
});
