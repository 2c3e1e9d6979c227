import { describe, expect, it } from '@jest/globals';
import { poolConfig, scalerFixture, scalerSettings } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { queueJob, serveQueued } from '../testing/scaler-steps';
import { PoolId, RunnerId } from '../shared/brand';
import { reconcile } from './reconcile';

/**
 * Event-store calls of one reconciler run, as DynamoDB would bill them when each batched read
 * fits one request (≤ 100 keys): a stream read is one Query, an index read one Query, a
 * `readHeads` or `readEventsUpTo` one BatchGetItem.
 */
function countStoreCalls(fx: ScalerFixture) {
  const calls = { streamsRead: [] as string[], listOpen: 0, batched: 0 };
  const store = fx.store;
  const readStream = store.readStream.bind(store);
  const listOpen = store.listOpen.bind(store);
  const readHeads = store.readHeads.bind(store);
  const readEventsUpTo = store.readEventsUpTo.bind(store);
  store.readStream = (...args) => (calls.streamsRead.push(args[0]), readStream(...args));
  store.listOpen = (...args) => ((calls.listOpen += 1), listOpen(...args));
  store.readHeads = (...args) => ((calls.batched += 1), readHeads(...args));
  store.readEventsUpTo = (...args) => ((calls.batched += 1), readEventsUpTo(...args));
  return calls;
}

/** `jobs` jobs queued on a pool of 2: two get a booting runner, the others wait at its maximum. */
async function waitingJobs(jobs: number) {
  const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 2 })]));
  for (let jobId = 1; jobId <= jobs; jobId += 1) await queueJob(fx, jobId);
  await serveQueued(fx);
  fx.clock.advanceMinutes(2);
  const calls = countStoreCalls(fx);
  const report = await reconcile(fx.deps, 'spec');
  return { calls, report };
}

describe('the reconciler reads the store in batches, not once per open job', () => {
  it('explains 12 waiting jobs with as many store calls as 3, each list of open streams read once', async () => {
    const few = await waitingJobs(3);
    const many = await waitingJobs(12);
    expect([few.report.jobsWaiting, many.report.jobsWaiting]).toEqual([3, 12]);
    expect(many.report.failedSteps).toEqual([]);
    expect(many.calls.listOpen).toBe(2);
    // The pool stream (release-slots' consistent read of the slots); no job or runner stream.
    expect(many.calls.streamsRead).toEqual(['pool-linux']);
    expect(many.calls).toEqual(few.calls);
  });
});

/**
 * `n` of each leftover the reconciler checks on runners' streams: queued jobs whose launch failed
 * for good (their runners ended, so the index does not list them), stale secrets of runners
 * that never existed, and leaked machines tagged for such runners.
 */
async function leftovers(n: number) {
  const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 20 })]));
  for (let i = 1; i <= n; i += 1) {
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: [],
      detail: 'bad',
    });
    await queueJob(fx, i);
    await serveQueued(fx);
    fx.ec2.addLeak(RunnerId(`ghost-${i}`), PoolId('linux'), fx.clock.now());
    await fx.secrets.put({ runnerId: RunnerId(`gone-${i}`), suffix: 'a'.repeat(32) }, 'jit', {
      compute: 'ec2',
      instanceId: fx.ec2.addLeak(null, null, fx.clock.now()),
    });
  }
  fx.clock.advanceMinutes(11);
  const calls = countStoreCalls(fx);
  const report = await reconcile(fx.deps, 'spec');
  return { calls, report };
}

describe('the reconciler checks leftovers on runners read by key in batches', () => {
  it('reads the runners behind 6 failed launches, stale secrets and leaked machines with as many calls as 2', async () => {
    const few = await leftovers(2);
    const many = await leftovers(6);
    expect(many.report).toMatchObject({
      jobsRequeued: 6,
      secretsDeleted: 6,
      instancesTerminated: 6,
      failedSteps: [],
    });
    expect(many.calls.streamsRead.filter((id) => id.startsWith('runner-'))).toEqual([]);
    expect(many.calls).toEqual(few.calls);
  });
});
