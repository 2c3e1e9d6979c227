import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, machinesPerRunner, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];
const JOBS = 4;
const JIT_ROUTE = 'POST /orgs/{org}/actions/runners/generate-jitconfig';

/**
 * Every `queued` delivery goes out twice, so two serve-job messages per job reach scale-up,
 * and the standard queue's batches run them concurrently: the registration step must still
 * make one GitHub registration and one secret write per runner.
 */
describe('duplicated queued deliveries, served concurrently', () => {
  let plane: LocalControlPlane;
  let jitBefore = 0;
  let putsBefore = 0;

  beforeAll(async () => {
    plane = await startScenario({ pools: [ec2Pool('dup', LABELS)], queueConcurrency: 4 });
    jitBefore = plane.fake.calls().byRoute[JIT_ROUTE] ?? 0;
    putsBefore = plane.infrastructure.proxies.ssm.calls().PutParameter ?? 0;
    for (let i = 0; i < JOBS; i += 1) {
      plane.fake.queueJob({
        repo: 'acme/web',
        labels: LABELS,
        durationMs: 30_000,
        webhook: { effect: 'duplicate' },
      });
    }
    await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 20 });
  }, 180_000);

  afterAll(async () => {
    await plane.close();
  });

  it('ran every job once, on a runner with one machine', () => {
    expect(conclusions(plane.fake.jobs())).toEqual({ success: JOBS });
    expect([...machinesPerRunner(plane).values()].every((n) => n === 1)).toBe(true);
  });

  it('made exactly one JIT call and one secret write per runner', () => {
    const runners = machinesPerRunner(plane).size;
    expect(runners).toBeGreaterThanOrEqual(JOBS);
    expect((plane.fake.calls().byRoute[JIT_ROUTE] ?? 0) - jitBefore).toBe(runners);
    expect((plane.infrastructure.proxies.ssm.calls().PutParameter ?? 0) - putsBefore).toBe(runners);
    expect(plane.agent.stats.secretsNotFound + plane.agent.stats.connectFailures).toBe(0);
  });
});
