import { describe, expect, it } from '@jest/globals';
import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, toIso, toMillis } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvents, serveQueued } from '../testing/scaler-steps';
import { read } from './execute';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor } from './scale-up';

const reusable = poolConfig({ id: 'linux', maxRunners: 2, ephemeral: false, minimumRunningTimeMinutes: 1 });
const jobReads = (calls: readonly string[]) => calls.filter((call) => call === 'getJobStatus').length;

/** A reusable runner that started job 70 (recorded busy with it); returns its id and name. */
async function busyRunner() {
  const fx = scalerFixture(scalerSettings([reusable]));
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 70, fx.clock.now()));
  await serveQueued(fx);
  const runnerId = runnerIdForJob(JobId(70), 1);
  const runnerName = runnerNameFor(reusable, runnerId);
  fx.registry.selfRegister(runnerName, { level: 'org', owner: reusable.owner }, reusable.labels);
  await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', 70, fx.clock.now(), { runnerName }));
  await applyJobEvents(fx);
  fx.registry.setRunner(runnerName, { busy: true });
  return { fx, runnerId, runnerName };
}

describe('scale-down and a reusable runner whose job completion was never recorded', () => {
  it('reads the job it runs once GitHub lists it idle past the lag, records the completion, and then retires it as idle', async () => {
    const { fx, runnerId, runnerName } = await busyRunner();
    fx.clock.advanceMinutes(3);
    const completedAt = fx.clock.now();
    // Job 70 ends; its `completed` delivery is lost. GitHub lists the runner idle from then on.
    fx.registry.jobStatuses.set('70', {
      status: 'completed',
      conclusion: 'success',
      runnerName,
      githubRunnerId: fx.registry.byName(runnerName)?.githubRunnerId ?? null,
      startedAt: toIso(toMillis(completedAt) - 180_000),
      completedAt,
    });
    fx.registry.setRunner(runnerName, { busy: false });
    fx.clock.advanceMinutes(5);

    await scaleDown(fx.deps, 'cycle-1');
    expect(jobReads(fx.registry.calls)).toBe(1);
    // Moved in place: only the webhook's function has the job-events queue.
    expect(fx.jobEventsQueue.take()).toEqual([]);
    const job = await read(fx.deps, fx.deps.streams.job, jobStreamId(JobId(70)));
    expect(job.state).toMatchObject({ status: 'completed', conclusion: 'success', runnerName });
    const runner = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(runner.state).toMatchObject({ status: 'idle', idleSince: completedAt });

    fx.clock.advanceMinutes(5);
    expect(await scaleDown(fx.deps, 'cycle-2')).toMatchObject({ retired: 1 });
  });

  it('asks GitHub nothing while the runner is listed busy, or listed idle within the lag of its recorded start', async () => {
    const { fx, runnerName } = await busyRunner();
    fx.clock.advanceMinutes(5);
    await scaleDown(fx.deps, 'listed-busy');
    expect(jobReads(fx.registry.calls)).toBe(0);

    const recent = await busyRunner();
    recent.fx.registry.setRunner(recent.runnerName, { busy: false });
    recent.fx.clock.advanceSeconds(recent.fx.deps.options.busyFlagLagSeconds - 30);
    await scaleDown(recent.fx.deps, 'within-the-lag');
    expect(jobReads(recent.fx.registry.calls)).toBe(0);
    expect(runnerName).toBe(recent.runnerName);
  });

  it('keeps the runner busy when GitHub says the job it runs is still in progress', async () => {
    const { fx, runnerId, runnerName } = await busyRunner();
    fx.registry.jobStatuses.set('70', { status: 'in_progress', conclusion: null, runnerName });
    fx.registry.setRunner(runnerName, { busy: false });
    fx.clock.advanceMinutes(5);
    expect(await scaleDown(fx.deps, 'cycle')).toMatchObject({ retired: 0 });
    await applyJobEvents(fx);
    const runner = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(runner.state).toMatchObject({ status: 'busy', currentJobId: '70' });
  });
});
