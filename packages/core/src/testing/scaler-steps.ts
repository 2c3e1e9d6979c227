/**
 * The moves a use-case spec makes on a `ScalerFixture`: what the queues and GitHub would do
 * between two use cases, spelled once.
 */
import { applyJobEvent } from '../application/apply-job-event';
import { recordInstanceEvent } from '../application/record-instance-event';
import { recordWorkflowJob } from '../application/record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp, type ScaleUpOutcome } from '../application/scale-up';
import type { WorkflowJobFact } from '../application/workflow-job-fact';
import type { PoolConfig } from '../config/pool-config';
import { JobId, type RunnerId } from '../shared/brand';
import { workflowJobFact, type ScalerFixture } from './scaler-fixture';

/** GitHub's `queued` for job `jobId` (labels: the fixture's default unless given). */
export async function queueJob(fx: ScalerFixture, jobId: number, labels?: readonly string[]): Promise<JobId> {
  await recordWorkflowJob(
    fx.deps,
    workflowJobFact('queued', jobId, fx.clock.now(), labels ? { labels: [...labels] } : {}),
  );
  return JobId(jobId);
}

/**
 * Jobs 1, 2 and 3 queued a minute apart on a pool of one runner, each served: job 1 gets the
 * runner (booting), jobs 2 and 3 wait on the full pool (120 s and 60 s when it returns).
 */
export async function threeJobsOnAFullPool(fx: ScalerFixture): Promise<void> {
  await queueJob(fx, 1);
  await serveQueued(fx);
  fx.clock.advanceMinutes(1);
  await queueJob(fx, 2);
  fx.clock.advanceMinutes(1);
  await queueJob(fx, 3);
  await serveQueued(fx);
}

/** Serves every message on the scale-up queue once. */
export async function serveQueued(fx: ScalerFixture): Promise<ScaleUpOutcome[]> {
  const outcomes: ScaleUpOutcome[] = [];
  for (const message of fx.scaleUpQueue.take()) outcomes.push(await scaleUp(fx.deps, message, 'test'));
  return outcomes;
}

/** Applies every message on the job-events queue once. */
export async function applyJobEvents(fx: ScalerFixture): Promise<void> {
  for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
}

/**
 * A job queued, served on `pool` and started on its runner, whose spot machine is then
 * interrupted: returns the `completed` (failure) fact GitHub sends next, not yet delivered.
 */
export async function interruptedJob(
  fx: ScalerFixture,
  pool: PoolConfig,
  jobId: number,
): Promise<{ readonly completed: WorkflowJobFact; readonly runnerId: RunnerId }> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  await serveQueued(fx);
  const runnerId = runnerIdForJob(JobId(jobId), 1);
  const runnerName = runnerNameFor(pool, runnerId);
  await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  await applyJobEvents(fx);
  const machine = [...fx.ec2.machines.entries()].find(([, m]) => m.view.runnerId === runnerId);
  if (!machine) throw new Error(`no machine for runner ${runnerId}`);
  await recordInstanceEvent(
    fx.deps,
    { kind: 'spot-interruption', instanceId: machine[0], at: fx.clock.now() },
    'eventbridge',
  );
  const completed = workflowJobFact('completed', jobId, fx.clock.now(), {
    runnerName,
    conclusion: 'failure',
  });
  return { completed, runnerId };
}
