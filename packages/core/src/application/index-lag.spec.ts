import { describe, expect, it } from '@jest/globals';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf } from '../runner/runner.state';
import { InstanceId, JobId, type RunnerId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { applyJobEvents, serveQueued } from '../testing/scaler-steps';
import { read } from './execute';
import { reconcile } from './reconcile';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor } from './scale-up';
import { topUpPools } from './top-up-pools';

/**
 * Every decision that reads the stream index (DynamoDB GSIs, eventually consistent), run with
 * index reads lagging appends: a missing entry may only delay a decision, never make it wrong.
 */
const LAG_MS = 60_000;
const ephemeral = poolConfig({ id: 'linux', maxRunners: 10 });

const runnerState = async (fx: ScalerFixture, runnerId: RunnerId) =>
  (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;

const instanceOf = async (fx: ScalerFixture, runnerId: RunnerId): Promise<string> => {
  const machine = machineOf(await runnerState(fx, runnerId));
  if (!machine) throw new Error(`runner ${runnerId} has no machine`);
  return machine.instanceId;
};

/** Queued, served and started at once: the runner's heads are all younger than the lag. */
async function startedJob(fx: ScalerFixture, pool: typeof ephemeral, jobId: number) {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  await serveQueued(fx);
  const runnerId = runnerIdForJob(JobId(jobId), 1);
  const runnerName = runnerNameFor(pool, runnerId);
  fx.registry.setRunner(runnerName, { status: 'online', busy: true });
  await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  return { runnerId, runnerName };
}

describe('under index lag: runner by name (job events)', () => {
  it('a job that starts on a runner registered moments ago marks that runner busy', async () => {
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: LAG_MS });
    const { runnerId } = await startedJob(fx, ephemeral, 1);
    await applyJobEvents(fx);
    expect((await runnerState(fx, runnerId)).status).toBe('busy');
  });
});

describe('under index lag: runner by instance id (instance events)', () => {
  it('a job interrupted on a machine launched moments ago is marked interrupted and re-run once GitHub fails it', async () => {
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: LAG_MS });
    const { runnerId, runnerName } = await startedJob(fx, ephemeral, 2);
    await applyJobEvents(fx);
    const instanceId = await instanceOf(fx, runnerId);
    const outcome = await recordInstanceEvent(
      fx.deps,
      { kind: 'spot-interruption', instanceId, at: fx.clock.now() },
      'eb',
    );
    expect(outcome).toMatchObject({ kind: 'recorded', runnerId });
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('completed', 2, fx.clock.now(), { runnerName, conclusion: 'failure' }),
    );
    expect(fx.registry.reruns).toEqual(['2']);
  });

  it('a machine terminated moments after its launch is missed by the instance event, and scale-down still ends its runner and frees the slot', async () => {
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: LAG_MS });
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 3, fx.clock.now()));
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(3), 1);
    const instanceId = await instanceOf(fx, runnerId);
    await fx.ec2.terminate(InstanceId(instanceId));
    await recordInstanceEvent(
      fx.deps,
      { kind: 'state-change', instanceId, state: 'terminated', at: fx.clock.now() },
      'eb',
    );
    fx.clock.advanceMinutes(ephemeral.bootTimeMinutes + 1);
    await scaleDown(fx.deps, 'tick');
    expect((await runnerState(fx, runnerId)).status).toBe('terminated');
    const { state: pool } = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
    expect(pool.alive).toBe(0);
  });
});

describe('under index lag: live runners (scale-down)', () => {
  it('a runner registered moments ago keeps its GitHub registration', async () => {
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: LAG_MS });
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 4, fx.clock.now()));
    await serveQueued(fx);
    const runnerName = runnerNameFor(ephemeral, runnerIdForJob(JobId(4), 1));
    expect(fx.registry.byName(runnerName)?.status).toBe('offline');
    await scaleDown(fx.deps, 'tick');
    expect(fx.registry.byName(runnerName)).toBeDefined();
  });

  it('keeps the idle window’s count when a runner ended moments ago is still listed as idle', async () => {
    const reusable = poolConfig({
      id: 'linux',
      ephemeral: false,
      minimumRunningTimeMinutes: 1,
      idleWindows: [{ cron: '* * * * * *', idleCount: 1, evictionStrategy: 'oldest-first' }],
    });
    const fx = scalerFixture(scalerSettings([reusable]), {}, { indexLagMs: LAG_MS });
    const runners: RunnerId[] = [];
    for (const jobId of [5, 6]) {
      await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
      await serveQueued(fx);
      const runnerId = runnerIdForJob(JobId(jobId), 1);
      const runnerName = runnerNameFor(reusable, runnerId);
      // A reusable runner registers itself with its token; GitHub then lists it.
      fx.registry.registrations.set(jobId, {
        githubRunnerId: jobId,
        name: runnerName,
        status: 'online',
        busy: true,
        labels: reusable.labels,
        scope: 'acme',
      });
      await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
      await applyJobEvents(fx);
      fx.registry.setRunner(runnerName, { busy: false });
      await recordWorkflowJob(fx.deps, workflowJobFact('completed', jobId, fx.clock.now(), { runnerName }));
      await applyJobEvents(fx);
      runners.push(runnerId);
      fx.clock.advanceMinutes(2);
    }
    const [older, newer] = runners as [RunnerId, RunnerId];
    expect([(await runnerState(fx, older)).status, (await runnerState(fx, newer)).status]).toEqual([
      'idle',
      'idle',
    ]);
    const instanceId = await instanceOf(fx, newer);
    await fx.ec2.terminate(InstanceId(instanceId));
    fx.registry.setRunner(runnerNameFor(reusable, newer), { status: 'offline' });
    await recordInstanceEvent(
      fx.deps,
      { kind: 'state-change', instanceId, state: 'terminated', at: fx.clock.now() },
      'eb',
    );
    expect((await runnerState(fx, newer)).status).toBe('terminated');
    await scaleDown(fx.deps, 'tick');
    expect((await runnerState(fx, older)).status).toBe('idle');
  });
});

describe('under index lag: live runners of every pool (scale-down looks at a pool only when its index views say so)', () => {
  it('a runner that went idle while the index still shows it busy is retired once the index shows it idle', async () => {
    const reusable = poolConfig({ id: 'linux', ephemeral: false, minimumRunningTimeMinutes: 1 });
    // Longer than GitHub's busy-flag lag (90 s): the runner is due before the index shows it idle.
    const fx = scalerFixture(scalerSettings([reusable]), {}, { indexLagMs: 3 * 60_000 });
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 9, fx.clock.now()));
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(9), 1);
    const runnerName = runnerNameFor(reusable, runnerId);
    fx.registry.registrations.set(9, {
      githubRunnerId: 9,
      name: runnerName,
      status: 'online',
      busy: true,
      labels: reusable.labels,
      scope: 'acme',
    });
    await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', 9, fx.clock.now(), { runnerName }));
    await applyJobEvents(fx);
    fx.clock.advanceMinutes(5);
    fx.registry.setRunner(runnerName, { busy: false });
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 9, fx.clock.now(), { runnerName }));
    await applyJobEvents(fx);
    expect((await runnerState(fx, runnerId)).status).toBe('idle');

    fx.clock.advanceMinutes(2);
    const listedAt = fx.clock.now();
    await scaleDown(fx.deps, 'tick-1', { registrationsListedAt: listedAt });
    expect((await runnerState(fx, runnerId)).status).toBe('idle');
    fx.clock.advanceMinutes(2);
    await scaleDown(fx.deps, 'tick-2', { registrationsListedAt: listedAt });
    expect((await runnerState(fx, runnerId)).status).toBe('terminated');
  });
});

describe('under index lag: live runners (pool top-up)', () => {
  it('a second top-up moments after the first requests nothing more', async () => {
    const pool = poolConfig({
      id: 'linux',
      ephemeral: false,
      poolSchedules: [{ cron: '* * * * * *', size: 2 }],
    });
    const fx = scalerFixture(scalerSettings([pool]), {}, { indexLagMs: LAG_MS });
    expect((await topUpPools(fx.deps, 'first')).requested).toEqual({ linux: 2 });
    expect((await topUpPools(fx.deps, 'second')).requested).toEqual({});
  });
});

describe('under index lag: live runners and open jobs (reconciler)', () => {
  it('does not take a runner the index does not show yet for a leak: its machine and its secret stay', async () => {
    // A lag longer than the orphan grace period: only a re-check on the stream keeps them.
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: 15 * 60_000 });
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 7, fx.clock.now()));
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(7), 1);
    fx.clock.advanceMinutes(12);
    const report = await reconcile(fx.deps, 'tick');
    expect(report).toMatchObject({ instancesTerminated: 0, secretsDeleted: 0, failedSteps: [] });
    expect(fx.ec2.aliveFor(runnerId)).toBe(true);
    expect((await fx.secrets.list()).map((secret) => secret.runnerId)).toContain(runnerId);
  });

  it('does not give a job that started moments ago a second runner, though the index still shows it queued', async () => {
    const fx = scalerFixture(scalerSettings([ephemeral]), {}, { indexLagMs: LAG_MS });
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 8, fx.clock.now()));
    await serveQueued(fx);
    fx.clock.advanceMinutes(11);
    const runnerName = runnerNameFor(ephemeral, runnerIdForJob(JobId(8), 1));
    await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', 8, fx.clock.now(), { runnerName }));
    await applyJobEvents(fx);
    await reconcile(fx.deps, 'tick');
    await serveQueued(fx);
    expect(fx.ec2.launches).toHaveLength(1);
  });
});
