import { describe, expect, it } from '@jest/globals';
import { JobId, PoolId, RunnerId } from '../shared/brand';
import { runnerStreamId } from '../runner/runner.decider';
import { secretRefOf } from '../runner/runner.state';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { reconcile } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, scaleUp } from './scale-up';
import { topUpPools } from './top-up-pools';
import { scaleDown } from './scale-down';
import { recordInstanceEvent } from './record-instance-event';

const linux = poolConfig({ id: 'linux', maxRunners: 2 });

async function queued(fx: ScalerFixture, jobId: number) {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  const [message] = fx.scaleUpQueue.take();
  if (!message) throw new Error('nothing was enqueued');
  return message;
}

async function requestedEvent(fx: ScalerFixture, runnerId: RunnerId) {
  const { events } = await fx.store.readStream(runnerStreamId(runnerId));
  return events.find((event) => event.type === 'RunnerRequested');
}

describe('runner secrets: names and readers', () => {
  it('names the secret with an unguessable suffix recorded on RunnerRequested, and launches the machine with that name', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 1), 'test');
    const runnerId = runnerIdForJob(JobId(1), 1);
    const requested = await requestedEvent(fx, runnerId);
    const suffix = (requested?.data as { secretSuffix?: string }).secretSuffix;
    expect(suffix).toMatch(/^[0-9a-f]{32}$/);
    const path = `/hangar/runners/${runnerId}.${suffix}`;
    expect(fx.ec2.launches.map((launch) => launch.secretPath)).toEqual([path]);
    expect(fx.secrets.pathsStored()).toEqual([path]);
  });

  it('binds the secret to the one machine launched for the runner', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 2), 'test');
    const [machine] = await fx.ec2.list();
    expect(fx.secrets.readerOf(runnerIdForJob(JobId(2), 1))).toEqual({
      compute: 'ec2',
      instanceId: machine?.instanceId,
    });
  });

  it('binds a Fargate runner secret to its task', async () => {
    const fargate = poolConfig({ id: 'tasks', compute: 'fargate' });
    const fx = scalerFixture(scalerSettings([fargate]));
    await scaleUp(fx.deps, await queued(fx, 3), 'test');
    const [task] = await fx.fargate.list();
    expect(fx.secrets.readerOf(runnerIdForJob(JobId(3), 1))).toEqual({
      compute: 'fargate',
      instanceId: task?.instanceId,
    });
  });

  it('gives two runners different secret suffixes', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 4), 'test');
    await scaleUp(fx.deps, await queued(fx, 5), 'test');
    const [a, b] = fx.ec2.launches.map((launch) => launch.secretPath);
    expect(a).not.toEqual(b);
  });

  it('a redelivery after a crash before the launch reuses the recorded name and draws none', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const message = await queued(fx, 6);
    const append = fx.store.append.bind(fx.store);
    const appendAll = fx.store.appendAll.bind(fx.store);
    let crashed = false;
    const killAfter = <T>(written: T, events: readonly { type: string }[]): T => {
      if (crashed || !events.some((event) => event.type === 'RunnerLaunchStarted')) return written;
      crashed = true;
      throw new Error('process killed');
    };
    // Killed right after the runner's request (and its launch attempt, one append — with the
    // job's request when the store writes both at once) is stored.
    fx.store.append = async (streamId, expected, events, options) =>
      killAfter(await append(streamId, expected, events, options), events);
    fx.store.appendAll = async (appends) =>
      killAfter(
        await appendAll(appends),
        appends.flatMap((part) => part.events),
      );
    await expect(scaleUp(fx.deps, message, 'first')).rejects.toThrow('process killed');
    const runnerId = runnerIdForJob(JobId(6), 1);
    const recorded = (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;
    if (recorded.status === 'none') throw new Error('the runner was not requested');
    await scaleUp(fx.deps, message, 'redelivery');
    await scaleUp(fx.deps, message, 'again');
    const path = fx.secrets.pathFor(secretRefOf(recorded));
    expect(fx.ec2.launches.map((launch) => launch.secretPath)).toEqual([path]);
    expect(fx.secrets.pathsStored()).toEqual([path]);
  });

  it('gives a pool top-up runner a recorded suffix too', async () => {
    const pool = poolConfig({
      id: 'warm',
      poolSchedules: [{ cron: '* * * * * *', size: 1 }],
    });
    const fx = scalerFixture(scalerSettings([pool]));
    await topUpPools(fx.deps, 'test');
    const [message] = fx.scaleUpQueue.take();
    if (message?.kind !== 'launch-runner') throw new Error('no runner was requested');
    const requested = await requestedEvent(fx, message.runnerId);
    expect((requested?.data as { secretSuffix?: string }).secretSuffix).toMatch(/^[0-9a-f]{32}$/);
  });

  it('deletes the unread secret at its recorded name when a runner that never came online is retired', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 7), 'test');
    expect(fx.secrets.pathsStored()).toHaveLength(1);
    fx.clock.advanceMinutes(linux.bootTimeMinutes + 1);
    expect(await scaleDown(fx.deps, 'tick')).toMatchObject({ retired: 1 });
    expect(fx.secrets.pathsStored()).toEqual([]);
  });

  it('deletes a secret once: the machine-terminated event after a retirement deletes nothing more', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const deletes: string[] = [];
    const remove = fx.secrets.delete.bind(fx.secrets);
    fx.secrets.delete = async (ref) => {
      deletes.push(ref.runnerId);
      return remove(ref);
    };
    await scaleUp(fx.deps, await queued(fx, 9), 'test');
    fx.clock.advanceMinutes(linux.bootTimeMinutes + 1);
    await scaleDown(fx.deps, 'tick');
    const [instance] = fx.ec2.launches.length > 0 ? [...fx.ec2.machines.values()] : [];
    await recordInstanceEvent(
      fx.deps,
      {
        kind: 'state-change',
        instanceId: instance?.view.instanceId ?? '',
        state: 'terminated',
        at: fx.clock.now(),
      },
      'eventbridge',
    );
    expect(deletes).toEqual([runnerIdForJob(JobId(9), 1)]);
  });

  it('a runner that ran its job has read its secret: retirement leaves it, and the reconciler removes one its machine could not delete', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 10), 'test');
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('completed', 10, fx.clock.now(), { runnerName: `hgr-${runnerIdForJob(JobId(10), 1)}` }),
    );
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
    // The twin machine never ran the boot script, so its secret is still there.
    expect(fx.secrets.pathsStored()).toHaveLength(1);
    fx.clock.advanceMinutes(fx.deps.options.orphanGraceMinutes + 1);
    expect(await reconcile(fx.deps, 'tick')).toMatchObject({ secretsDeleted: 1 });
    expect(fx.secrets.pathsStored()).toEqual([]);
  });

  it('the reconciler removes an unread secret of an ended runner whatever its suffix, and keeps a live runner’s', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await scaleUp(fx.deps, await queued(fx, 8), 'test');
    const live = fx.secrets.pathsStored();
    await fx.secrets.put({ runnerId: RunnerId('gone'), suffix: 'f'.repeat(32) }, 'jit', {
      compute: 'ec2',
      instanceId: fx.ec2.addLeak(null, PoolId('linux'), fx.clock.now()),
    });
    await fx.secrets.put({ runnerId: RunnerId('legacy'), suffix: null }, 'jit', {
      compute: 'ec2',
      instanceId: fx.ec2.addLeak(null, PoolId('linux'), fx.clock.now()),
    });
    fx.clock.advanceMinutes(11);
    const report = await reconcile(fx.deps, 'tick');
    expect(report.secretsDeleted).toBe(2);
    expect(fx.secrets.pathsStored()).toEqual(live);
  });
});
