import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { applyJobEvents, serveQueued } from '../testing/scaler-steps';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob } from './scale-up';
import { execute } from './execute';
import { runnerStreamId } from '../runner/runner.decider';
import { toIso } from '../shared/brand';
import { runnerNameFor } from './runner-names';

// EventBridge gives up on an event after its attempts (each invocation failed, e.g. throttled):
// the spot interruption warning can be lost. The machine's end still arrives, and EC2 keeps
// describing the terminated instance with its state reason (`Server.SpotInstanceTermination`).

/** A job started on its runner's spot machine: the machine and the runner's name. */
async function busyOnSpot(fx: ScalerFixture, ephemeral: boolean, jobId: number) {
  const pool = poolConfig({ id: 'linux', maxRunners: 1, ephemeral });
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  await serveQueued(fx);
  const runnerName = runnerNameFor(pool, runnerIdForJob(JobId(jobId), 1));
  await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  await applyJobEvents(fx);
  const [instanceId] = fx.ec2.machines.keys();
  if (!instanceId) throw new Error('the job started no machine');
  return { instanceId, runnerName };
}

const settingsFor = (ephemeral: boolean) =>
  scalerSettings([poolConfig({ id: 'linux', maxRunners: 1, ephemeral })]);

async function machineEnded(fx: ScalerFixture, instanceId: string): Promise<void> {
  const at = fx.clock.now();
  await recordInstanceEvent(fx.deps, { kind: 'state-change', instanceId, state: 'terminated', at }, 'eb');
}

async function completedFailed(fx: ScalerFixture, jobId: number, runnerName: string): Promise<void> {
  const fact = workflowJobFact('completed', jobId, fx.clock.now(), { runnerName, conclusion: 'failure' });
  await recordWorkflowJob(fx.deps, fact);
  await applyJobEvents(fx);
}

describe('a spot machine reclaimed after its warning was lost', () => {
  it.each([
    ['reusable', false],
    ['ephemeral', true],
  ])(
    'gets its job re-run when the machine’s end comes before the job’s completed (%s runner)',
    async (_kind, ephemeral) => {
      const fx = scalerFixture(settingsFor(ephemeral));
      const { instanceId, runnerName } = await busyOnSpot(fx, ephemeral, 901);
      fx.clock.advanceSeconds(120);
      fx.ec2.reclaim(instanceId);
      await machineEnded(fx, instanceId);
      await completedFailed(fx, 901, runnerName);
      expect(fx.registry.reruns).toEqual(['901']);
    },
  );

  it.each([
    ['reusable', false],
    ['ephemeral', true],
  ])(
    'gets its job re-run when the job’s completed comes before the machine’s end (%s runner)',
    async (_kind, ephemeral) => {
      const fx = scalerFixture(settingsFor(ephemeral));
      const { instanceId, runnerName } = await busyOnSpot(fx, ephemeral, 902);
      fx.clock.advanceSeconds(120);
      fx.ec2.reclaim(instanceId);
      await completedFailed(fx, 902, runnerName);
      fx.clock.advanceSeconds(30);
      await machineEnded(fx, instanceId);
      expect(fx.registry.reruns).toEqual(['902']);
    },
  );

  it('gets its job re-run when the end is redelivered after a crash between recording the interruption and marking the job', async () => {
    const fx = scalerFixture(settingsFor(false));
    const { instanceId, runnerName } = await busyOnSpot(fx, false, 906);
    fx.clock.advanceSeconds(120);
    fx.ec2.reclaim(instanceId);
    await completedFailed(fx, 906, runnerName);
    // What the crashed delivery left: the runner's interruption, dated at the notice, no job marked.
    const at = toIso(Date.parse(fx.clock.now()) - 120_000);
    const stream = runnerStreamId(runnerIdForJob(JobId(906), 1));
    await execute(
      fx.deps,
      fx.deps.streams.runner,
      stream,
      { type: 'RecordSpotInterruption', data: { at } },
      'crashed',
    );
    expect(fx.registry.reruns).toEqual([]);
    await machineEnded(fx, instanceId);
    expect(fx.registry.reruns).toEqual(['906']);
  });

  it('fails retryably when the machine cannot be described, and re-runs the job on the next attempt', async () => {
    const fx = scalerFixture(settingsFor(false));
    const { instanceId, runnerName } = await busyOnSpot(fx, false, 903);
    fx.clock.advanceSeconds(120);
    fx.ec2.reclaim(instanceId);
    await completedFailed(fx, 903, runnerName);
    fx.ec2.lookupFailures = 1;
    await expect(machineEnded(fx, instanceId)).rejects.toMatchObject({ retryable: true });
    await machineEnded(fx, instanceId);
    expect(fx.registry.reruns).toEqual(['903']);
  });
});

describe('a machine that ended for another reason', () => {
  it.each([
    ['before', 'reusable', false, false],
    ['after', 'reusable', true, false],
    ['before', 'ephemeral', false, true],
    ['after', 'ephemeral', true, true],
  ])(
    'does not re-run a failed job (the job’s completed %s the machine’s end, %s runner)',
    async (_order, _kind, endFirst, ephemeral) => {
      const fx = scalerFixture(settingsFor(ephemeral));
      const { instanceId, runnerName } = await busyOnSpot(fx, ephemeral, 904);
      fx.clock.advanceSeconds(120);
      // Someone else terminated it (EC2: `Client.UserInitiatedShutdown`), not a spot reclaim.
      await fx.ec2.terminate(instanceId as never);
      if (endFirst) await machineEnded(fx, instanceId);
      await completedFailed(fx, 904, runnerName);
      if (!endFirst) await machineEnded(fx, instanceId);
      expect(fx.registry.reruns).toEqual([]);
      expect(fx.registry.calls).not.toContain('rerunJob');
    },
  );
});

describe('an ephemeral spot runner whose job succeeded', () => {
  it('is retired without describing its machine (the completed message carries the conclusion)', async () => {
    const fx = scalerFixture(settingsFor(true));
    const { instanceId, runnerName } = await busyOnSpot(fx, true, 905);
    fx.clock.advanceSeconds(120);
    // A describe would now fail: the retirement must not need one.
    fx.ec2.lookupFailures = 1;
    const fact = workflowJobFact('completed', 905, fx.clock.now(), { runnerName, conclusion: 'success' });
    await recordWorkflowJob(fx.deps, fact);
    await applyJobEvents(fx);
    expect(fx.ec2.machines.get(instanceId)?.view.state).toBe('terminated');
    expect(fx.ec2.lookupFailures).toBe(1);
  });
});
