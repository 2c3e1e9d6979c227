import { jobStreamId } from '../job/job.decider';
import { machineOf, type RunnerState } from '../runner/runner.state';
import type { ScalerDeps } from './deps';
import { read } from './execute';

/**
 * An ephemeral runner that ended after running another job than the one it was requested for
 * (GitHub gives a queued job to any idle runner with matching labels, oldest job first): the
 * job it was requested for may still be queued, with no runner coming. Before jobs waited on
 * the pool's list, some waiting job's next retry launched a runner that served it; now its
 * request is sent again at once (the reconciler would, after `jobRetryAfterMinutes`). A runner
 * taken by another job does not count against the job's request cap, as in the reconciler.
 */
export async function requestAgainIfRunnerTaken(deps: ScalerDeps, state: RunnerState): Promise<void> {
  if (state.status !== 'terminated' || !state.ephemeral || state.requestedForJobId === null) return;
  const machine = machineOf(state);
  const jobId = state.requestedForJobId;
  if (!machine || machine.jobsRun === 0 || machine.finishedJobs.some((job) => job.jobId === jobId)) return;
  const jobRead = await read(deps, deps.streams.job, jobStreamId(jobId));
  const job = jobRead.state;
  if (job.status !== 'queued' || job.info === null) return;
  if (job.requests.at(-1)?.runnerId !== state.runnerId) return;
  const attempt = job.requests.length + 1;
  await deps.scaleUpQueue.send([
    {
      body: {
        kind: 'serve-job',
        jobId,
        attempt,
        reason: 'reconcile',
        maxAttempts: Math.max(deps.settings.maxRunnerRequestsPerJob, job.requests.length) + 1,
        // As just read: scale-up decides on it without reading the job again (a job written
        // since makes its request conflict and is read then, as for the webhook's messages).
        job: { version: jobRead.version, state: job },
      },
      groupId: jobId,
      dedupId: `${jobId}-${attempt}`,
    },
  ]);
  deps.metrics.add('RunnerTakenJobRequeued', 1, 'Count', { pool: state.poolId });
}
