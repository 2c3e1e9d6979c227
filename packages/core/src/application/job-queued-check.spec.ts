import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvents, queueJob, serveQueued } from '../testing/scaler-steps';
import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { read } from './execute';
import { reconcile } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor } from './scale-up';

const checked = poolConfig({ id: 'linux', maxRunners: 1, jobQueuedCheck: true });

/** Job 70 served; GitHub gives its runner to job 69, which completes on it: job 70 is asked for again. */
async function runnerTakenByAnotherJob() {
  const fx = scalerFixture(scalerSettings([checked]));
  await queueJob(fx, 70);
  await serveQueued(fx);
  const name = runnerNameFor(checked, runnerIdForJob(JobId(70), 1));
  await recordWorkflowJob(fx.deps, workflowJobFact('completed', 69, fx.clock.now(), { runnerName: name }));
  await applyJobEvents(fx);
  return fx;
}

const statusReads = (calls: readonly string[]) => calls.filter((call) => call === 'getJobStatus').length;

describe('the job-queued check on a job whose runner another job took', () => {
  it('asks GitHub nothing while the job is younger than the threshold (a cancellation would be on its stream)', async () => {
    const fx = await runnerTakenByAnotherJob();
    fx.clock.advanceSeconds(fx.deps.options.jobQueuedCheckAfterSeconds - 60);
    const outcomes = await serveQueued(fx);
    expect(outcomes.map((o) => o.kind)).toEqual(['launched']);
    expect(statusReads(fx.registry.calls)).toBe(0);
  });

  it('asks GitHub once the job has waited past the threshold, and launches nothing for a job GitHub started', async () => {
    const fx = await runnerTakenByAnotherJob();
    fx.registry.jobStatuses.set('70', { status: 'in_progress', conclusion: null });
    fx.clock.advanceSeconds(fx.deps.options.jobQueuedCheckAfterSeconds);
    const outcomes = await serveQueued(fx);
    expect(outcomes.map((o) => o.kind)).toEqual(['not-needed']);
    expect(statusReads(fx.registry.calls)).toBe(1);
  });
});

describe('a job GitHub reports started or completed at the job-queued check (its webhook was lost)', () => {
  it('is recorded completed with the conclusion and runner GitHub read out, closes, and is not asked for again', async () => {
    const fx = await runnerTakenByAnotherJob();
    const at = fx.clock.now();
    fx.registry.jobStatuses.set('70', {
      status: 'completed',
      conclusion: 'failure',
      runnerName: 'someone-elses-runner',
      githubRunnerId: 9,
      startedAt: at,
      completedAt: at,
    });
    fx.clock.advanceSeconds(fx.deps.options.jobQueuedCheckAfterSeconds);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['not-needed']);
    const { state } = await read(fx.deps, fx.deps.streams.job, jobStreamId(JobId(70)));
    expect(state).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      runnerName: 'someone-elses-runner',
    });
    fx.clock.advanceMinutes(fx.deps.settings.jobRetryAfterMinutes + 1);
    await reconcile(fx.deps, 'reconcile');
    expect(
      fx.scaleUpQueue.take().filter((message) => message.kind === 'serve-job' && message.jobId === '70'),
    ).toEqual([]);
  });

  it('is recorded started on the runner GitHub names, which is then tracked busy with it (no second machine)', async () => {
    const fx = scalerFixture(
      scalerSettings([poolConfig({ id: 'linux', maxRunners: 2, jobQueuedCheck: true })]),
    );
    await queueJob(fx, 80);
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(80), 1);
    const runnerName = runnerNameFor(checked, runnerId);
    // The job's `in_progress` delivery failed: the reconciler asks for a runner again.
    fx.registry.jobStatuses.set('80', {
      status: 'in_progress',
      conclusion: null,
      runnerName,
      githubRunnerId: 101,
      startedAt: fx.clock.now(),
      completedAt: null,
    });
    fx.clock.advanceMinutes(fx.deps.settings.jobRetryAfterMinutes + 1);
    await reconcile(fx.deps, 'reconcile');
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['not-needed']);
    // Moved in place: only the webhook's function has the job-events queue.
    expect(fx.jobEventsQueue.take()).toEqual([]);
    const job = await read(fx.deps, fx.deps.streams.job, jobStreamId(JobId(80)));
    expect(job.state).toMatchObject({ status: 'in_progress', runnerName });
    const runner = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(runner.state).toMatchObject({ status: 'busy', currentJobId: '80' });
    expect(fx.ec2.alive()).toBe(1);
  });
});
