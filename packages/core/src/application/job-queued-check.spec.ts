import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvents, queueJob, serveQueued } from '../testing/scaler-steps';
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
