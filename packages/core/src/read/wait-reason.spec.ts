import { describe, expect, it } from '@jest/globals';
import { WAIT_SCENARIOS, scenarioFixture } from '../testing/wait-scenarios';
import { queueJob, serveQueued, threeJobsOnAFullPool } from '../testing/scaler-steps';
import { poolConfig, scalerFixture, scalerSettings } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { JobId } from '../shared/brand';
import { applyJobEvent } from '../application/apply-job-event';
import { runnerIdForJob, runnerNameFor, scaleUp } from '../application/scale-up';
import { describeJob, describePools, listWaiting } from './queries';
import type { ReadDeps } from './read-streams';
import { WAIT_REASON_CODES } from './wait-reason-types';

const readDeps = (fx: ScalerFixture): ReadDeps => ({
  eventStore: fx.deps.eventStore,
  snapshots: fx.deps.snapshots,
  index: fx.deps.index,
  history: fx.store,
});

describe('the reason a job waits, from what its streams recorded', () => {
  it('has a scenario for every reason code', () => {
    expect(WAIT_SCENARIOS.map((scenario) => scenario.code).sort()).toEqual([...WAIT_REASON_CODES].sort());
  });

  for (const scenario of WAIT_SCENARIOS) {
    it(`states ${scenario.code} when ${scenario.title}`, async () => {
      const fx = scenarioFixture(scenario);
      const jobId = await scenario.run(fx);
      const described = await describeJob(readDeps(fx), jobId, fx.clock.now());
      expect(described?.story.situation).toMatchObject({ kind: 'waiting', reason: { code: scenario.code } });
    });
  }

  it('names the runners holding the slots of a full pool, with alive and max as recorded', async () => {
    const scenario = WAIT_SCENARIOS.find((candidate) => candidate.code === 'pool-at-max')!;
    const fx = scenarioFixture(scenario);
    const jobId = await scenario.run(fx);
    const described = await describeJob(readDeps(fx), jobId, fx.clock.now());
    expect(described?.story.situation).toMatchObject({ reason: { alive: 1, max: 1, poolId: 'linux' } });
    expect(described?.holders).toEqual([
      expect.objectContaining({
        runnerId: 'j104-1',
        runner: expect.objectContaining({ status: 'launched' }),
      }),
    ]);
  });

  it('names the instance types and subnets that had no capacity, and the attempt that follows', async () => {
    const scenario = WAIT_SCENARIOS.find((candidate) => candidate.code === 'launching')!;
    const fx = scenarioFixture(scenario);
    const jobId = await scenario.run(fx);
    const described = await describeJob(readDeps(fx), jobId, fx.clock.now());
    expect(described?.story.situation).toMatchObject({
      reason: {
        attempt: 2,
        capacityType: 'on-demand',
        after: {
          attempt: 1,
          capacityType: 'spot',
          errorCodes: ['InsufficientInstanceCapacity'],
          placements: [
            { instanceType: 'm7i.large', subnetId: 'subnet-0a1b2c3d' },
            { instanceType: 'm6i.large', subnetId: 'subnet-0a1b2c3d' },
          ],
        },
      },
    });
  });

  it('names the repository of a job no pool serves, since a repo-level pool serves only its own', async () => {
    const web = poolConfig({ id: 'web', level: 'repo', repo: 'web' });
    const fx = scalerFixture(scalerSettings([web]));
    const jobId = await queueJob(fx, 1); // from acme/app
    await serveQueued(fx);
    const described = await describeJob(readDeps(fx), jobId, fx.clock.now());
    expect(described?.story.situation).toMatchObject({
      kind: 'waiting',
      reason: { code: 'unroutable', unroutable: 'no-matching-pool', repository: 'acme/app' },
    });
  });

  it('says a launch outcome is unknown (answer lost, machine not listed yet) until the key lookup settles it', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux' })]));
    fx.ec2.acceptThenThrottle(0);
    fx.ec2.lookupsMissing = 1;
    const jobId = await queueJob(fx, 1);
    await serveQueued(fx);
    const described = await describeJob(readDeps(fx), jobId, fx.clock.now());
    expect(described?.story.situation).toMatchObject({
      kind: 'waiting',
      reason: { code: 'launching', attempt: 1, outcomeUnknown: { reason: expect.any(String) } },
    });
  });
});

describe('the wait of a job, stretch by stretch', () => {
  it('splits a finished wait into the reasons it had: pool at max, then booting', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    const first = await queueJob(fx, 1);
    await serveQueued(fx);
    fx.clock.advanceSeconds(10);
    const second = await queueJob(fx, 2);
    const [retry] = fx.scaleUpQueue.sent.slice(-1);
    await serveQueued(fx);
    fx.clock.advanceMinutes(3);
    const name = runnerNameFor(poolConfig({ id: 'linux' }), runnerIdForJob(first, 1));
    await applyJobEvent(fx.deps, {
      jobId: first,
      action: 'completed',
      runnerName: name,
      at: fx.clock.now(),
      deliveryId: 'c1',
    });
    await scaleUp(fx.deps, retry!.body, 'retry');
    fx.clock.advanceSeconds(50);
    const described = await describeJob(readDeps(fx), second, fx.clock.now());
    expect(described?.story.waits.map((segment) => [segment.reason.code, segment.seconds])).toEqual([
      ['pool-at-max', 180],
      ['runner-booting', 50],
    ]);
  });
});

describe('waiting jobs and pools', () => {
  it('lists waiting jobs longest first and counts them per pool and reason', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    await threeJobsOnAFullPool(fx);
    const now = fx.clock.now();
    const waiting = await listWaiting(readDeps(fx), now);
    expect(waiting.map((job) => [job.jobId, job.reason.code])).toEqual([
      [JobId(1), 'runner-booting'],
      [JobId(2), 'pool-at-max'],
      [JobId(3), 'pool-at-max'],
    ]);
    const { pools } = await describePools(readDeps(fx), now, [{ id: 'linux', maxRunners: 1 }]);
    expect(pools).toEqual([
      expect.objectContaining({
        poolId: 'linux',
        max: 1,
        alive: 1,
        runners: { booting: 1, idle: 0, busy: 0, terminating: 0 },
        waiting: expect.objectContaining({
          total: 3,
          byReason: { 'runner-booting': 1, 'pool-at-max': 2 },
          oldestWaitSeconds: 120,
        }),
        activity: expect.objectContaining({ requested: 1, launched: 1, launchFailures: 0 }),
      }),
    ]);
  });
});
