import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import type { RegisteredRunnerView, RunnerView } from '../scaling/views';
import { toMillis, type IsoTime, type JobId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { read } from './execute';
import { recordJobFactFromGitHub } from './github-job-fact';

/**
 * A runner our records call busy stays busy until its job's `completed` reaches its stream; a
 * delivery that failed (and was never redelivered) leaves a reusable runner busy for good:
 * never retired, and counted against the pool's maximum. GitHub's listing shows it: listed not
 * busy while we record it busy since longer than GitHub's busy-flag lag (the flag shows a job
 * at most that long after it started, so the job we recorded is over — or the runner went on
 * to another one, whose start the same lag hides). The job it runs is then read from GitHub
 * (`GET .../actions/jobs/{id}`, one call per such job) and, if GitHub says it completed, that
 * fact is recorded as the lost delivery would have (job stream, then the runner, moved in
 * place: github-job-fact.ts); from there the usual idle rules apply (the runner counts as available
 * from the job's `completed_at`, so a job it took unseen since is covered by the lag rule).
 *
 * No GitHub call is made in a cycle where no runner is in this state. A runner busy with a job
 * GitHub did not name (recorded from a busy listing) has nothing to read and is left as it is.
 */
export async function recordUnseenCompletions(
  deps: ScalerDeps,
  runners: readonly RunnerView[],
  registrations: ReadonlyMap<string, RegisteredRunnerView>,
  correlationId: string,
): Promise<void> {
  const now = deps.clock.now();
  for (const runner of runners) {
    const listed = runner.runnerName ? registrations.get(runner.runnerName) : undefined;
    if (runner.status !== 'busy' || runner.currentJobId === null || !listed || listed.busy) continue;
    const { state } = await read(deps, deps.streams.runner, runnerStreamId(runner.runnerId));
    if (state.status !== 'busy' || !pastLag(state.busySince, now, deps.options.busyFlagLagSeconds)) continue;
    for (const jobId of state.runningJobIds) {
      // One job's repair failing (GitHub, the store) must not stop the pool's scale-down:
      // it is tried again next cycle.
      await recordIfCompleted(deps, jobId, correlationId).catch((error: unknown) =>
        deps.logger.warn('Could not record a job GitHub reports completed; tried again next cycle', {
          jobId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
}

function pastLag(since: IsoTime, now: IsoTime, lagSeconds: number): boolean {
  return toMillis(now) - toMillis(since) > lagSeconds * 1000;
}

async function recordIfCompleted(deps: ScalerDeps, jobId: JobId, correlationId: string): Promise<void> {
  const { state } = await read(deps, deps.streams.job, jobStreamId(jobId));
  if (state.status === 'unknown' || state.info === null) return;
  // Recorded on the job already (only the job-events message was lost): no need to ask GitHub.
  const github =
    state.status === 'completed'
      ? {
          status: state.status,
          conclusion: state.conclusion,
          runnerName: state.runnerName,
          completedAt: state.completedAt,
        }
      : await readJob(deps, state.info.owner, state.info.repo, jobId);
  if (github?.status !== 'completed') return;
  deps.logger.info('A job GitHub reports completed was still running on a runner by our records', { jobId });
  deps.metrics.add('UnseenJobCompletionsRecorded', 1, 'Count');
  await recordJobFactFromGitHub(deps, state.info, github, `${correlationId}-${jobId}`);
}

/** A failed read only postpones this repair to the next cycle: scale-down goes on. */
async function readJob(deps: ScalerDeps, owner: string, repo: string, jobId: JobId) {
  try {
    return await deps.registry.getJobStatus(owner, repo, jobId);
  } catch (error) {
    deps.logger.warn('Could not read a job from GitHub; asked again next cycle', {
      jobId,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}
