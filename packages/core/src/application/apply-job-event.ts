import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, minutesBetween, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, executeAll, read } from './execute';
import type { KnownStream } from './handle-command';
import type { RunnerCommand } from '../runner/runner.commands';
import { hasMachine, machineOf, type RunnerState } from '../runner/runner.state';
import { fold } from '../shared/decider';
import type { JobEventMessage } from './messages';
import { markInterrupted } from './interrupted-jobs';
import { completeTermination, finishRemoval, type RetireContext } from './retire-runner';
import { runnerNamed } from './runner-lookup';
import { recordReclaimIfLost } from './reclaimed-machine';

export type JobEventOutcome =
  | { readonly kind: 'runner-busy'; readonly runnerId: RunnerId }
  | { readonly kind: 'runner-idle'; readonly runnerId: RunnerId }
  | { readonly kind: 'runner-retired'; readonly runnerId: RunnerId }
  | { readonly kind: 'no-change'; readonly runnerId: RunnerId }
  | { readonly kind: 'not-our-runner'; readonly runnerName: string | null };

/**
 * Moves a runner from the job facts GitHub already sends (`in_progress`, `completed`):
 * no per-runner polling of GitHub for busy state. An ephemeral runner that finished its
 * job is removed at once. A job on a runner already warned of a spot interruption is marked
 * interrupted (whichever of the facts came first, see interrupted-jobs.ts). `context`: where a
 * retired runner's slot goes (absent: released at once; the handler batches them).
 */
export async function applyJobEvent(
  deps: ScalerDeps,
  message: JobEventMessage,
  context: RetireContext = {},
): Promise<JobEventOutcome> {
  if (message.runnerName === null) return { kind: 'not-our-runner', runnerName: null };
  // Read off the name and confirmed on the stream: the index may not show a runner registered moments ago.
  // The `completed` after the `in_progress` this function recorded usually finds the runner as
  // it left it (nothing else writes a busy runner): decided on without a read.
  const found = await runnerNamed(deps, message.runnerName, { asLastSeen: true });
  if (!found) return { kind: 'not-our-runner', runnerName: message.runnerName };
  // The confirming read is the state the first decision is made on (no second read).
  const { runnerId, known } = found;
  const stream = runnerStreamId(runnerId);
  const jobId = JobId(message.jobId);
  if (message.action === 'in_progress') {
    const result = await execute(
      deps,
      deps.streams.runner,
      stream,
      { type: 'RecordRunnerJobStarted', data: { jobId, at: message.at } },
      message.deliveryId,
      known,
    );
    await markInterrupted(deps, jobId, runnerId, result.state, message.deliveryId);
    if (result.outcome === 'accepted' && result.events.length > 0) {
      await recordQueueToOnline(deps, message);
      return { kind: 'runner-busy', runnerId };
    }
    return { kind: 'no-change', runnerId };
  }
  const finish: RunnerCommand = { type: 'RecordRunnerJobFinished', data: { jobId, at: message.at } };
  const current = known ?? (await read(deps, deps.streams.runner, stream));
  if (endsEphemeralRunner(deps, finish, current.state)) {
    // Hangar ends this machine itself: a spot reclaim that killed the job (its warning lost)
    // is learned now, before the termination hides it. A job that succeeded needs no look.
    const checked =
      message.conclusion === 'success'
        ? current
        : await recordReclaimIfLost(deps, runnerId, current, message.at, message.deliveryId);
    await retireFinishedEphemeral(
      deps,
      { runnerId, jobId, finish, current: checked },
      message.deliveryId,
      context,
    );
    return { kind: 'runner-retired', runnerId };
  }
  const result = await execute(deps, deps.streams.runner, stream, finish, message.deliveryId, current);
  await markInterrupted(deps, jobId, runnerId, result.state, message.deliveryId);
  if (result.state.status === 'terminating') {
    const retired = await completeTermination(deps, result.state, message.deliveryId, context, result);
    return retired.kind === 'retired'
      ? { kind: 'runner-retired', runnerId }
      : { kind: 'no-change', runnerId };
  }
  if (result.outcome === 'accepted' && result.events.length > 0) return { kind: 'runner-idle', runnerId };
  return { kind: 'no-change', runnerId };
}

/**
 * Does this finish end the runner — an ephemeral runner with its machine, which serves one job
 * (runner.jobs.ts, `finishJob`)? Decided on the state the caller holds; the append that
 * records it checks the version.
 */
function endsEphemeralRunner(deps: ScalerDeps, finish: RunnerCommand, state: RunnerState): boolean {
  if (!hasMachine(state) || !state.ephemeral) return false;
  const decision = deps.streams.runner.decider.decide(finish, state);
  if (decision.kind !== 'accepted' || decision.events.length === 0) return false;
  return fold(deps.streams.runner.decider, decision.events, state).status === 'terminating';
}

/**
 * An ephemeral runner that finished its job: its machine is terminated first, then the finish
 * and the termination are recorded in ONE append (one write instead of two). Sound because
 * the decision needs nothing the cloud call could change: an ephemeral runner serves one job,
 * so whatever was written since, a runner that ran this job is done (the `terminating` state
 * in between told nobody anything they act on: it was recorded already deregistered, and a
 * busy-looking runner is never picked by scale-down). A crash after the call leaves the
 * message to come back and do it again (terminating is idempotent); a `terminated` event of
 * the machine arriving first is recorded by instance-events, and this append then finds the
 * runner ended and records only the finish. A sequence cut short (the finish recorded by a
 * concurrent delivery) is finished by the usual retirement.
 */
async function retireFinishedEphemeral(
  deps: ScalerDeps,
  finished: {
    readonly runnerId: RunnerId;
    readonly jobId: JobId;
    readonly finish: RunnerCommand;
    readonly current: KnownStream<RunnerState>;
  },
  correlationId: string,
  context: RetireContext,
): Promise<void> {
  const { runnerId, jobId, finish, current } = finished;
  const machine = machineOf(current.state);
  if (current.state.status === 'none' || !machine) return;
  await deps.compute(current.state.compute).terminate(machine.instanceId);
  const result = await executeAll(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    [finish, { type: 'RecordInstanceTerminated', data: { at: deps.clock.now(), deregistered: false } }],
    correlationId,
    current,
  );
  await markInterrupted(deps, jobId, runnerId, result.state, correlationId);
  if (result.state.status === 'terminating') {
    await completeTermination(deps, result.state, correlationId, context, result);
    return;
  }
  // Whoever recorded the runner's end gives its slot back and deletes what is left of it.
  const endedNow = (result.steps[1]?.length ?? 0) > 0;
  await finishRemoval(deps, result.state, correlationId, { ...context, endedNow });
  deps.logger.info('Runner retired', { runnerId, reason: 'job-done', pool: current.state.poolId });
}

/** The webhook sends the job's queued time with the fact; an older message makes us read the job. */
async function recordQueueToOnline(deps: ScalerDeps, message: JobEventMessage): Promise<void> {
  let queuedAt = message.queuedAt ?? null;
  if (queuedAt === null) {
    const { state: job } = await read(deps, deps.streams.job, jobStreamId(JobId(message.jobId)));
    queuedAt = job.status === 'unknown' ? null : job.queuedAt;
  }
  if (queuedAt === null) return;
  const seconds = minutesBetween(queuedAt, message.at) * 60;
  if (Number.isFinite(seconds) && seconds >= 0) deps.metrics.add('QueueToOnlineSeconds', seconds, 'Seconds');
}
