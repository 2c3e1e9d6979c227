import { describe, expect, it } from '@jest/globals';
import type { InstanceId } from '../shared/brand';
import { JobId } from '../shared/brand';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

const linux = poolConfig({ id: 'linux', maxRunners: 3 });

/** A job started on its ephemeral runner, and its `completed` recorded by the webhook. */
async function completedJob(jobId: number) {
  const fx = scalerFixture(scalerSettings([linux]));
  const runnerId = runnerIdForJob(JobId(jobId), 1);
  const runnerName = runnerNameFor(linux, runnerId);
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  for (const m of fx.scaleUpQueue.take()) await scaleUp(fx.deps, m, 'up');
  fx.clock.advanceSeconds(30);
  await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  for (const m of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, m);
  fx.clock.advanceMinutes(2);
  await recordWorkflowJob(fx.deps, workflowJobFact('completed', jobId, fx.clock.now(), { runnerName }));
  const [instanceId] = [...fx.ec2.machines.keys()] as InstanceId[];
  if (instanceId === undefined) throw new Error('no machine was launched');
  return { fx, runnerId, instanceId };
}

describe('an ephemeral runner whose job completed', () => {
  it('is terminated and recorded finished and terminated in one append, its slot given back', async () => {
    const { fx, runnerId } = await completedJob(1);
    const stream = runnerStreamId(runnerId);
    const before = (await read(fx.deps, fx.deps.streams.runner, stream)).version;
    const [message] = fx.jobEventsQueue.take();
    if (!message) throw new Error('no job event');
    const append = fx.store.append.bind(fx.store);
    const appends: string[] = [];
    fx.store.append = (id, ...rest) => (appends.push(id), append(id, ...rest));
    await expect(applyJobEvent(fx.deps, message)).resolves.toEqual({ kind: 'runner-retired', runnerId });
    expect(appends.filter((id) => id === stream)).toHaveLength(1);
    const slice = await fx.store.readStream(stream, { afterVersion: before });
    expect(slice.events.map((event) => event.type)).toEqual(['RunnerJobFinished', 'RunnerTerminated']);
    expect(fx.ec2.alive()).toBe(0);
    const pool = (await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'))).state;
    expect(pool.alive).toBe(0);
  });

  it('records only the finish when the machine-terminated event was recorded first, and frees the slot once', async () => {
    const { fx, runnerId, instanceId } = await completedJob(2);
    const terminate = fx.ec2.terminate.bind(fx.ec2);
    // EventBridge delivers the machine's end before job-events records it.
    fx.ec2.terminate = async (id) => {
      await terminate(id);
      await recordInstanceEvent(
        fx.deps,
        { kind: 'state-change', instanceId, state: 'terminated', at: fx.clock.now() },
        'eb',
      );
    };
    for (const m of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, m);
    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(state.status).toBe('terminated');
    expect(state.status === 'terminated' && state.machine?.finishedJobs.map((job) => job.jobId)).toEqual([
      '2',
    ]);
    const pool = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
    expect(pool.state.alive).toBe(0);
    const released = (await fx.store.readStream(poolStreamId('linux'))).events.filter(
      (event) => event.type === 'RunnerSlotReleased',
    );
    expect(released).toHaveLength(1);
  });
});
