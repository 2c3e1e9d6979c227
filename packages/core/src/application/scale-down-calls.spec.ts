import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import type { PoolConfig } from '../config/pool-config';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { applyJobEvents, queueJob, serveQueued } from '../testing/scaler-steps';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor } from './scale-up';
import { scaleDown } from './scale-down';

const linux = poolConfig({ id: 'linux', labels: ['self-hosted', 'linux'], minimumRunningTimeMinutes: 2 });
const arm = poolConfig({ id: 'arm', labels: ['self-hosted', 'arm64'], minimumRunningTimeMinutes: 2 });

/** Event-store calls as DynamoDB would bill them, with the streams read. */
function countStoreCalls(fx: ScalerFixture) {
  const calls = { streamsRead: [] as string[], listOpen: 0, readHeads: 0 };
  const store = fx.store;
  const readStream = store.readStream.bind(store);
  const listOpen = store.listOpen.bind(store);
  const readHeads = store.readHeads.bind(store);
  store.readStream = (...args) => (calls.streamsRead.push(args[0]), readStream(...args));
  store.listOpen = (...args) => ((calls.listOpen += 1), listOpen(...args));
  store.readHeads = (...args) => ((calls.readHeads += 1), readHeads(...args));
  return calls;
}

/** Job `jobId` queued on `pool`, served and started on its runner (busy by our events). */
async function busyRunner(fx: ScalerFixture, pool: PoolConfig, jobId: number): Promise<void> {
  await queueJob(fx, jobId, pool.labels);
  await serveQueued(fx);
  const runnerName = runnerNameFor(pool, runnerIdForJob(JobId(jobId), 1));
  fx.registry.setRunner(runnerName, { status: 'online', busy: true });
  await recordWorkflowJob(
    fx.deps,
    workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName, labels: [...pool.labels] }),
  );
  await applyJobEvents(fx);
}

describe('scale-down reads the store in proportion to what may change, not to pools × cycles', () => {
  it('a cycle over pools of busy runners costs one index query and no stream or head read', async () => {
    const fx = scalerFixture(scalerSettings([linux, arm]));
    for (const [jobId, pool] of [linux, linux, arm, arm].entries()) await busyRunner(fx, pool, jobId + 1);
    const listedAt = fx.clock.now();
    fx.clock.advanceMinutes(3);
    const calls = countStoreCalls(fx);
    const report = await scaleDown(fx.deps, 'tick', { registrationsListedAt: listedAt });
    expect(report).toMatchObject({ retired: 0, failedPools: [] });
    expect(calls).toEqual({ streamsRead: [], listOpen: 1, readHeads: 0 });
  });

  it('an orphan-listing cycle over pools of busy runners GitHub lists busy reads no stream or head either', async () => {
    const fx = scalerFixture(scalerSettings([linux, arm]));
    for (const [jobId, pool] of [linux, linux, arm, arm].entries()) await busyRunner(fx, pool, jobId + 1);
    fx.clock.advanceMinutes(3);
    const calls = countStoreCalls(fx);
    const report = await scaleDown(fx.deps, 'tick', { registrationsListedAt: null });
    expect(report).toMatchObject({ retired: 0, failedPools: [], registrationsListedAt: fx.clock.now() });
    expect(fx.registry.calls.filter((call) => call === 'listRunners')).toHaveLength(1);
    expect(calls).toEqual({ streamsRead: [], listOpen: 1, readHeads: 0 });
  });

  it('only the pool whose index view shows a runner that may go is read consistently', async () => {
    const fx = scalerFixture(scalerSettings([linux, arm]));
    await busyRunner(fx, arm, 1);
    // A runner on linux launched and never started a job: past its boot time it may go.
    await queueJob(fx, 2, linux.labels);
    await serveQueued(fx);
    const listedAt = fx.clock.now();
    fx.clock.advanceMinutes(linux.bootTimeMinutes + 1);
    const calls = countStoreCalls(fx);
    await scaleDown(fx.deps, 'tick', { registrationsListedAt: listedAt });
    expect(calls.listOpen).toBe(1);
    expect(calls.streamsRead).toContain('pool-linux');
    expect(calls.streamsRead).not.toContain('pool-arm');
  });
});
