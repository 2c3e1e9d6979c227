import { jobStreamId } from '../job/job.decider';
import type { JobCommand } from '../job/job.commands';
import { routeJob } from '../scaling/label-matching';
import type { ScalerDeps } from './deps';
import { changed, execute } from './execute';
import type { JobEventMessage } from './messages';
import type { WorkflowJobFact } from './workflow-job-fact';
import type { HandleResult } from './handle-command';
import type { JobRejection } from '../job/job.commands';
import type { JobEvent } from '../job/job.events';
import type { JobState } from '../job/job.state';
import { rerunAfterCompletion } from './rerun';

export type WorkflowJobOutcome =
  /** Recorded; work was enqueued when the job needs a runner or moves one. */
  | { readonly kind: 'recorded'; readonly enqueued: boolean; readonly duplicate: boolean }
  /** Recorded as unroutable (self-hosted labels no pool serves, or a repository not allowed). */
  | { readonly kind: 'unroutable'; readonly reason: string }
  /** Not a self-hosted job (e.g. `ubuntu-latest`): nothing to record. */
  | { readonly kind: 'ignored'; readonly reason: string };

const SELF_HOSTED = 'self-hosted';

/**
 * The webhook's use case: record what GitHub said about a job (deduplicated by the job
 * stream), then hand the work on — a queued job to scale-up, a started or completed job
 * to the job-events queue. A queued job with no runner request yet is always (re)enqueued,
 * so a duplicate delivery after a crash still gets the job served; scale-up is idempotent.
 */
export async function recordWorkflowJob(
  deps: ScalerDeps,
  fact: WorkflowJobFact,
  moveRunner?: (message: JobEventMessage) => Promise<void>,
): Promise<WorkflowJobOutcome> {
  const route = routeJob(fact, deps.settings);
  const selfHosted = fact.labels.some((label) => label.toLowerCase() === SELF_HOSTED);
  if (route.kind === 'unroutable' && !selfHosted) {
    return { kind: 'ignored', reason: 'not a self-hosted job' };
  }
  const stream = jobStreamId(fact.jobId);
  const correlationId = fact.deliveryId;
  const queued: JobCommand = {
    type: 'RecordJobQueued',
    data: {
      jobId: fact.jobId,
      runId: String(fact.runId),
      owner: fact.owner,
      repo: fact.repo,
      labels: fact.labels,
      installationId: fact.installationId,
      name: fact.workflowName ?? '',
      queuedAt: fact.at,
    },
  };
  // Every fact carries the job's details: a late or lost `queued` is filled in by any of them.
  // A `queued` fact is nearly always the job's first: it is decided on the empty stream and
  // appended only if the stream is still empty (a redelivery conflicts, reads and decides again).
  const fresh =
    fact.action === 'queued' ? { state: deps.streams.job.decider.initialState, version: 0 } : undefined;
  const recent = fact.action === 'queued' ? undefined : startedJobAsLastSeen(deps, stream);
  const first = recent ?? (await execute(deps, deps.streams.job, stream, queued, correlationId, fresh));
  let duplicate = fact.action === 'queued' && !changed(first);
  if (route.kind === 'unroutable') {
    const marked = await execute(
      deps,
      deps.streams.job,
      stream,
      { type: 'MarkJobUnroutable', data: { reason: route.reason, at: deps.clock.now() } },
      correlationId,
    );
    // Its stream closes, so the waiting metrics never count it: this is its only series.
    if (changed(marked)) deps.metrics.add('JobsUnroutable', 1, 'Count', { reason: route.reason });
    deps.logger.warn('Job cannot be served by any runner configuration', {
      jobId: fact.jobId,
      reason: route.reason,
    });
    // A runner of ours may still have run it (GitHub lends org runners to any repository the
    // runner group allows): its start and finish must still move that runner.
    if (fact.action === 'queued' || fact.action === 'waiting' || fact.runnerName === null) {
      return { kind: 'unroutable', reason: route.reason };
    }
  }
  switch (fact.action) {
    case 'queued': {
      if (first.state.status !== 'queued' || first.state.requests.length > 0)
        return { kind: 'recorded', enqueued: false, duplicate };
      await deps.scaleUpQueue.send(
        [
          {
            body: {
              kind: 'serve-job',
              jobId: fact.jobId,
              attempt: 1,
              reason: 'queued',
              // Scale-up decides on the job as this append left it instead of reading it again.
              job: { version: first.version, state: first.state },
            },
            groupId: fact.jobId,
            dedupId: `${fact.jobId}-1`,
          },
        ],
        { delaySeconds: deps.options.scaleUpDelaySeconds },
      );
      return { kind: 'recorded', enqueued: true, duplicate };
    }
    case 'waiting': {
      const result = await execute(
        deps,
        deps.streams.job,
        stream,
        { type: 'RecordJobWaiting', data: { at: fact.at } },
        correlationId,
        { state: first.state, version: first.version },
      );
      return { kind: 'recorded', enqueued: false, duplicate: !changed(result) };
    }
    case 'in_progress':
    case 'completed': {
      const command: JobCommand =
        fact.action === 'in_progress'
          ? {
              type: 'RecordJobStarted',
              data: { runnerName: fact.runnerName, githubRunnerId: fact.githubRunnerId, startedAt: fact.at },
            }
          : {
              type: 'RecordJobCompleted',
              data: {
                conclusion: fact.conclusion ?? 'unknown',
                runnerName: fact.runnerName,
                completedAt: fact.at,
              },
            };
      // Decided on the stream as the first command left it: read again only if someone wrote since.
      const known = { state: first.state, version: first.version };
      const result = await execute(deps, deps.streams.job, stream, command, correlationId, known);
      duplicate = !changed(result);
      // The runner moves even on a duplicate job fact: the runner stream deduplicates on its own.
      const body: JobEventMessage = {
        jobId: fact.jobId,
        action: fact.action,
        runnerName: fact.runnerName,
        at: fact.at,
        deliveryId: fact.deliveryId,
        ...(result.state.status !== 'unknown' && result.state.queuedAt
          ? { queuedAt: result.state.queuedAt }
          : {}),
        ...(fact.action === 'completed' && fact.conclusion ? { conclusion: fact.conclusion } : {}),
      };
      // A use case that learned the fact itself (not the webhook) moves the runner in place:
      // only the webhook's function sends to the job-events queue.
      if (moveRunner) await moveRunner(body);
      else
        await deps.jobEventsQueue.send([
          { body, groupId: fact.runnerName ?? fact.jobId, dedupId: fact.deliveryId },
        ]);
      // Checked on the stream as this append left it: a writer after it (a spot warning marking
      // the job interrupted) saw the completion and asks for the rerun itself (interrupted-jobs.ts).
      if (fact.action === 'completed')
        await rerunAfterCompletion(deps, fact.jobId, correlationId, {
          state: result.state,
          version: result.version,
        });
      return { kind: 'recorded', enqueued: true, duplicate };
    }
  }
}

/**
 * The job's stream as this process last left it, if that shows the job started or completed:
 * from then on its writers are the job's own later facts (usually this function's: the
 * `completed` after the `in_progress` it recorded), so the next fact is decided on it without
 * a read; the append checks the version (a stale entry costs one failed append and the read).
 * Its details are known, so `RecordJobQueued` would decide nothing and is skipped. A queued
 * job's stream is not used: scale-up writes its runner request meanwhile.
 */
function startedJobAsLastSeen(
  deps: ScalerDeps,
  stream: string,
): HandleResult<JobEvent, JobState, JobRejection> | undefined {
  const known = deps.recent?.get<JobState>(stream);
  if (!known || known.state.status === 'unknown' || known.state.status === 'queued') return undefined;
  if (known.state.info === null) return undefined;
  return { outcome: 'accepted', events: [], state: known.state, version: known.version, conflicts: 0 };
}
