import type { PoolConfig } from '../config/pool-config';
import { jobStreamId } from '../job/job.decider';
import type { JobState } from '../job/job.state';
import type { PoolRejection } from '../pool/pool.commands';
import type { CapacityType, RunnerEvent } from '../runner/runner.events';
import { runnerIdForJob, runnerStreamId } from '../runner/runner.decider';
import { machineOf, registrationDone, secretRefOf, type RunnerState } from '../runner/runner.state';
import { routeJob } from '../scaling/label-matching';
import { minutesBetween, type RunnerId } from '../shared/brand';
import { DependencyError } from '../shared/errors';
import type { ScalerDeps } from './deps';
import { changed, execute, executeAll, read } from './execute';
import type { HandleResult, KnownStream, SequenceResult } from './handle-command';
import type { RunnerRejection } from '../runner/runner.commands';
import { requestJobAndRunner, reserveSlot, reserveWithRequest, type Reservation } from './request-runner';
import { serveKey, type BatchPreparation, type PreparedServe } from './scale-up-batch';
import type { ScaleUpMessage } from './messages';
import { launchKeyFor, recordMachineFoundByKey, recordOutcomeUnknown } from './launch-step';
import {
  claimDecided,
  claimRegistration,
  clearAbandonedRegistration,
  recordCreated,
  removeUndeliveredRegistration,
  startRegistration,
  type RegistrationClaim,
} from './registration-step';
import { encodeRunnerSecret, type RunnerSecret } from './runner-secret';
import { poolById, runnerNameFor, scopeFor } from './runner-names';
import { passWakeUp, releaseSlot, waitForSlot } from './pool-slots';
import { recordJobFactFromGitHub } from './github-job-fact';
import { firstCapacityType, jobQueuedCheckNeeded, requestCommands } from './serve-commands';

export { jobQueuedCheckNeeded } from './serve-commands';

/** What became of one scale-up message. Anything not listed here is thrown (retryable or not). */
export type ScaleUpOutcome =
  | { readonly kind: 'launched'; readonly runnerId: RunnerId; readonly resumed: boolean }
  | { readonly kind: 'already-launched'; readonly runnerId: RunnerId }
  | { readonly kind: 'not-needed'; readonly detail: string }
  | { readonly kind: 'unroutable'; readonly reason: string }
  | { readonly kind: 'deferred'; readonly delaySeconds: number; readonly detail: string }
  /** On the pool's waiting list: a released slot sends the message again (pool-slots.ts). */
  | { readonly kind: 'waiting'; readonly detail: string }
  | { readonly kind: 'gave-up'; readonly detail: string }
  /** A retryable launch failure: the message should come back (SQS visibility timeout). */
  | { readonly kind: 'retry'; readonly runnerId: RunnerId; readonly detail: string };

const REJECTION_RECORD_EVERY_MINUTES = 5;

type RunnerResult = HandleResult<RunnerEvent, RunnerState, RunnerRejection>;

export { runnerIdForJob } from '../runner/runner.decider';

// Names and scopes live apart so the use cases scale-up calls into never import scale-up.
export { RUNNER_NAME_MARKER, poolById, runnerNameFor, runnerNamePrefix, scopeFor } from './runner-names';

/** Handles one scale-up message: serve a queued job, or launch an already requested runner. */
export async function scaleUp(
  deps: ScalerDeps,
  message: ScaleUpMessage,
  correlationId: string,
  batch?: BatchPreparation,
): Promise<ScaleUpOutcome> {
  return message.kind === 'serve-job'
    ? serveJob(deps, message, correlationId, batch?.get(serveKey(message.jobId, message.attempt)))
    : launchRunner(deps, message.runnerId, correlationId);
}

/** Does the job's stream show a runner requested under this id (whose slot it then holds)? */
function requestedOnJob(state: JobState, runnerId: RunnerId): boolean {
  return state.status !== 'unknown' && state.requests.some((request) => request.runnerId === runnerId);
}

async function serveJob(
  deps: ScalerDeps,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  correlationId: string,
  prepared?: PreparedServe,
): Promise<ScaleUpOutcome> {
  const jobStream = jobStreamId(message.jobId);
  const jobRead = prepared?.job ?? message.job ?? (await read(deps, deps.streams.job, jobStream));
  const job = jobRead.state;
  if (job.status !== 'queued' || job.info === null) {
    await wakeUpNotNeeded(deps, message, job, correlationId);
    return { kind: 'not-needed', detail: `job is ${job.status}` };
  }
  const existing = job.requests.find((request) => request.attempt === message.attempt);
  if (existing) return launchRunner(deps, existing.runnerId, correlationId, true);
  if (message.attempt !== job.requests.length + 1) {
    await wakeUpNotNeeded(deps, message, job, correlationId);
    return {
      kind: 'not-needed',
      detail: `attempt ${message.attempt} is stale (${job.requests.length} made)`,
    };
  }
  const route = routeJob(job.info, deps.settings);
  const now = deps.clock.now();
  if (route.kind === 'unroutable') {
    // Unroutable now (the configuration changed while it waited): a slot handed to it goes back.
    if (message.slotHeld && message.wokenBy)
      await releaseSlot(deps, message.wokenBy, runnerIdForJob(message.jobId, message.attempt), correlationId);
    await execute(
      deps,
      deps.streams.job,
      jobStream,
      { type: 'MarkJobUnroutable', data: { reason: route.reason, at: now } },
      correlationId,
    );
    return { kind: 'unroutable', reason: route.reason };
  }
  const pool = route.pool;
  const runnerId = runnerIdForJob(job.info.jobId, message.attempt);
  // Routed elsewhere since it waited (the configuration changed): the old pool's slot goes back.
  if (message.slotHeld && message.wokenBy && message.wokenBy !== pool.id)
    await releaseSlot(deps, message.wokenBy, runnerId, correlationId);
  const commands = requestCommands(deps, message, pool, job.info.jobId, runnerId, now);
  // Asked only once a slot is ours (below): then the slot is reserved on its own first.
  // (The batch that wrote this job's requests with its reservation decided it needed none.)
  const checkJob = !prepared?.requests && pool.jobQueuedCheck && jobQueuedCheckNeeded(deps, message, job);
  // A slot handed over by the release that woke the job is already this runner's (pool.waiting.ts).
  const handed = message.slotHeld === true && message.wokenBy === pool.id;
  // Reserved by the batch (several jobs on one pool: one pool append for them all), or not.
  const reserved: Reservation | undefined = prepared?.slot
    ? { slot: prepared.slot, pool: prepared.pool, ...(prepared.waiting ? { waiting: true } : {}) }
    : undefined;
  const together =
    reserved || handed || checkJob
      ? undefined
      : await reserveWithRequest(deps, pool, runnerId, job.info.jobId, commands, jobRead, correlationId);
  const reservation: Reservation =
    reserved ??
    together?.reservation ??
    (handed ? { slot: 'held' } : await reserveSlot(deps, pool, runnerId, job.info.jobId, correlationId));
  if (reservation.slot !== 'held')
    return deferForCapacity(
      deps,
      message,
      jobRead,
      pool,
      { ...reservation, slot: reservation.slot },
      correlationId,
    );
  // Asked only once a slot is ours: a job waiting on a full pool costs no GitHub calls.
  if (checkJob) {
    const status = await deps.registry.getJobStatus(job.info.owner, job.info.repo, job.info.jobId);
    if (status !== null && status.status !== 'queued' && status.status !== 'waiting') {
      // Its `in_progress` / `completed` delivery was lost: GitHub's answer is that fact.
      await recordJobFactFromGitHub(deps, job.info, status, correlationId);
      deps.metrics.add('ScaleUpRejected', 1, 'Count', { reason: 'job-not-queued-on-github' });
      // The job state may have come with the message: the slot is freed only if, read now, the
      // job shows no runner requested under this id (else that runner holds it).
      const current = await read(deps, deps.streams.job, jobStream);
      if (!requestedOnJob(current.state, runnerId)) await releaseSlot(deps, pool.id, runnerId, correlationId);
      return { kind: 'not-needed', detail: `GitHub reports the job ${status.status}` };
    }
  }

  const { requested, runner } =
    prepared?.requests ??
    together?.requests ??
    (await requestJobAndRunner(
      deps,
      commands,
      jobRead,
      runnerId,
      correlationId,
      together?.stale ?? prepared?.stale,
    ));
  if (requested.outcome === 'rejected' || !runner) {
    // The refusal was decided on the job as it is now (a rejection is decided again on a fresh
    // read). If it shows this runner requested, the slot is that runner's — this message carried
    // an older job state, from before the request — and stays; only a slot nobody took is freed.
    if (!requestedOnJob(requested.state, runnerId)) await releaseSlot(deps, pool.id, runnerId, correlationId);
    const why = requested.outcome === 'rejected' ? requested.rejection.reason : 'no runner request';
    return { kind: 'not-needed', detail: `job refused the request: ${why}` };
  }
  if (runner.state.status === 'none' && runner.state.withdrawnAt !== undefined) {
    // The reconciler gave this id's slot back (this delivery came back long after reserving
    // it): no runner is launched, and a slot reserved again for the id is freed at once —
    // nothing can ever hold it. The reconciler requests the job again under a new id.
    await releaseSlot(deps, pool.id, runnerId, correlationId);
    return { kind: 'not-needed', detail: `runner ${runnerId} was withdrawn: its reservation was abandoned` };
  }
  deps.metrics.add('RunnersRequested', 1, 'Count', { pool: pool.id });
  deps.logger.info('Runner requested for job', {
    jobId: job.info.jobId,
    runnerId,
    pool: pool.id,
    attempt: message.attempt,
  });
  // The attempt this append started has made no cloud call yet: nothing to look up by its key.
  const startedNow = runner.steps[1]?.some((event) => event.type === 'RunnerLaunchStarted') ?? false;
  const after = { state: runner.state, version: runner.version };
  // A request already recorded (a redelivery decided on the job state it carried): resumed.
  return launchRunner(deps, runnerId, correlationId, !changed(requested), after, startedNow);
}

/**
 * A woken job that needs no runner (any more) under this attempt: a slot handed to it is given
 * back — and so handed on to the next waiting job — unless the job shows this runner requested
 * (the slot is then that runner's); a plain wake-up is passed on. The job cannot request this
 * attempt later: it is no longer queued, or its requests are past the attempt (they only grow).
 */
async function wakeUpNotNeeded(
  deps: ScalerDeps,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  job: JobState,
  correlationId: string,
): Promise<void> {
  if (!message.wokenBy) return;
  if (!message.slotHeld) return passWakeUp(deps, message.wokenBy, correlationId);
  // Details not known yet (a lost `queued`): the job may still request this attempt, so the
  // slot stays its own; if it never does, the reconciler withdraws the id and gives it back.
  if (job.status === 'unknown' || (job.status === 'queued' && job.info === null)) return;
  const runnerId = runnerIdForJob(message.jobId, message.attempt);
  if (!requestedOnJob(job, runnerId)) await releaseSlot(deps, message.wokenBy, runnerId, correlationId);
}

async function deferForCapacity(
  deps: ScalerDeps,
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
  jobRead: KnownStream<JobState>,
  pool: PoolConfig,
  reservation: Reservation & { readonly slot: Extract<PoolRejection, { reason: 'max-runners-reached' }> },
  correlationId: string,
): Promise<ScaleUpOutcome> {
  const { slot: full, pool: refused } = reservation;
  const job = jobRead.state;
  if (job.status !== 'queued') return { kind: 'not-needed', detail: `job is ${job.status}` };
  const now = deps.clock.now();
  deps.metrics.add('ScaleUpRejected', 1, 'Count', { reason: 'max-runners-reached', pool: pool.id });
  const queuedFor = job.queuedAt ? minutesBetween(job.queuedAt, now) : 0;
  const detail = `pool ${pool.id} is at its maximum of ${pool.maxRunners} runners`;
  // Put on the list by the batch's write, it was decided not past the limit then: it waits.
  const final = !reservation.waiting && queuedFor >= deps.settings.jobQueueLimitMinutes;
  // Recorded at most every few minutes: the reconciler reads it as "scale-up is still retrying".
  // Giving up is always recorded, so the job's stream says nobody is trying any more.
  if (
    final ||
    job.lastRejectedAt === null ||
    minutesBetween(job.lastRejectedAt, now) >= REJECTION_RECORD_EVERY_MINUTES
  ) {
    await execute(
      deps,
      deps.streams.job,
      jobStreamId(message.jobId),
      {
        type: 'RecordScaleUpRejection',
        data: {
          poolId: pool.id,
          reason: 'max-runners-reached',
          detail,
          at: now,
          alive: full.alive,
          max: full.max,
          ...(final ? { final } : {}),
        },
      },
      correlationId,
      jobRead,
    );
  }
  if (final) {
    deps.logger.warn('Job waited past the queue limit; giving up', { jobId: message.jobId, pool: pool.id });
    return { kind: 'gave-up', detail: `${detail}; the job has been queued ${Math.round(queuedFor)} minutes` };
  }
  // Waits on the pool's list for a released slot instead of asking again every 30 s.
  // The batch's write may have put it on the list already, with its reservations.
  const waited = reservation.waiting
    ? 'waiting'
    : await waitForSlot(deps, pool, message, refused, correlationId);
  if (waited === 'waiting') return { kind: 'waiting', detail };
  if (waited === 'slot-free') {
    await deps.scaleUpQueue.send([
      {
        body: withoutJob(message),
        groupId: message.jobId,
        dedupId: `${message.jobId}-${message.attempt}-slot-free-${now}`,
      },
    ]);
    return { kind: 'deferred', delaySeconds: 0, detail: 'a slot was released meanwhile' };
  }
  if (deps.scaleUpQueue.acceptsDelay === false) {
    // A FIFO queue cannot delay one message: let SQS bring this one back after its visibility timeout.
    return { kind: 'retry', runnerId: runnerIdForJob(message.jobId, message.attempt), detail };
  }
  const delaySeconds = deps.options.maxRunnersRetrySeconds;
  await deps.scaleUpQueue.send(
    [
      {
        body: { ...withoutJob(message), deferrals: (message.deferrals ?? 0) + 1 },
        groupId: message.jobId,
        dedupId: `${message.jobId}-${message.attempt}-${(message.deferrals ?? 0) + 1}`,
      },
    ],
    { delaySeconds },
  );
  return { kind: 'deferred', delaySeconds, detail };
}

/** A message sent again carries no job state: by the time it comes back, it is out of date. */
function withoutJob(
  message: Extract<ScaleUpMessage, { kind: 'serve-job' }>,
): Extract<ScaleUpMessage, { kind: 'serve-job' }> {
  const { job: _job, ...rest } = message;
  return rest;
}

/**
 * Launches (or resumes launching) a requested runner, then issues its registration. Every
 * step is idempotent: the launch's idempotency key is `<runnerId>-<attempt>`, so a crash
 * between the cloud call and its record resumes with the same key and finds the same machine;
 * an attempt whose outcome is unknown stays open until its machine is found or a call with its
 * key is answered (crash-safety reasoning in launch-step.ts).
 */
export async function launchRunner(
  deps: ScalerDeps,
  runnerId: RunnerId,
  correlationId: string,
  resumed = false,
  known?: KnownStream<RunnerState>,
  startedNow = false,
): Promise<ScaleUpOutcome> {
  const stream = runnerStreamId(runnerId);
  // The stream as this invocation last read or wrote it (undefined when only the state is known).
  let current: KnownStream<RunnerState> | undefined =
    known ?? (await read(deps, deps.streams.runner, stream));
  let { state } = current;
  if (state.status === 'none') {
    const why =
      state.withdrawnAt === undefined ? 'never requested' : 'withdrawn (its reservation was abandoned)';
    return { kind: 'not-needed', detail: `runner was ${why}` };
  }
  const pool = poolById(deps, state.poolId);
  if (!pool) {
    // The configuration was removed: the runner can never be launched.
    await execute(
      deps,
      deps.streams.runner,
      stream,
      { type: 'RequestTermination', data: { reason: 'launch-abandoned', at: deps.clock.now() } },
      correlationId,
    );
    await releaseSlot(deps, state.poolId, runnerId, correlationId);
    return { kind: 'gave-up', detail: `pool ${state.poolId} is no longer configured` };
  }
  let capacityType: CapacityType = firstCapacityType(pool);
  // `known` holds an attempt this invocation has just started and not called yet.
  // A registration claim already decided with the launch's record (none: claim it when due).
  let claim: RegistrationClaim | undefined;
  let justStarted: Started | undefined =
    startedNow && known?.state.status === 'launching' ? { outcome: 'accepted', ...known } : undefined;
  for (;;) {
    if (state.status === 'terminating' || state.status === 'terminated' || state.status === 'launch_failed') {
      return { kind: 'not-needed', detail: `runner is ${state.status}` };
    }
    if (machineOf(state)) {
      await issueRegistration(deps, pool, state, correlationId, current, claim);
      return state.status === 'launched' && !resumed
        ? { kind: 'launched', runnerId, resumed }
        : { kind: 'already-launched', runnerId };
    }
    const started: Started =
      justStarted ?? (await startLaunch(deps, pool, stream, state, capacityType, correlationId, current));
    justStarted = undefined;
    if ('found' in started) {
      state = started.found;
      current = undefined;
      continue;
    }
    if (started.outcome === 'rejected')
      return { kind: 'not-needed', detail: `runner is ${started.state.status}` };
    const launching: RunnerState = started.state;
    if (launching.status !== 'launching')
      return { kind: 'not-needed', detail: `runner is ${launching.status}` };
    const provider = deps.compute(pool.compute);
    const result = await provider.launch({
      runnerId,
      poolId: pool.id,
      idempotencyKey: launchKeyFor(runnerId, launching.attempt),
      capacityType: launching.capacityType,
      secretPath: deps.secrets.pathFor(secretRefOf(launching)),
      owner: pool.owner,
    });
    if (result.outcome === 'launched') {
      // The machine and the registration claim in one append: nothing happens between the two.
      const recorded: SequenceResult<RunnerEvent, RunnerState, RunnerRejection> = await executeAll(
        deps,
        deps.streams.runner,
        stream,
        [
          {
            type: 'RecordLaunchSucceeded',
            data: {
              instanceId: result.instanceId,
              instanceType: result.instanceType,
              capacityType: result.capacityType,
              at: deps.clock.now(),
            },
          },
          startRegistration(deps, runnerNameFor(pool, runnerId)),
        ],
        correlationId,
        { state: launching, version: started.version },
      );
      state = recorded.state;
      current = { state, version: recorded.version };
      claim = claimDecided(recorded, 1);
      continue;
    }
    if (result.outcome === 'unknown') {
      const found = await recordMachineFoundByKey(deps, pool, launching, correlationId);
      if (found) {
        state = found;
        current = undefined;
        continue;
      }
      await recordOutcomeUnknown(deps, pool, launching, result, correlationId);
      return {
        kind: 'retry',
        runnerId,
        detail: `launch outcome unknown (${result.reason}): ${result.detail}`,
      };
    }
    deps.metrics.add('RunnerLaunchFailed', 1, 'Count', { reason: result.reason, pool: pool.id });
    deps.logger.warn('Runner launch failed', {
      runnerId,
      pool: pool.id,
      reason: result.reason,
      errorCodes: result.errorCodes,
      attempt: launching.attempt,
    });
    const failed: RunnerResult = await execute(
      deps,
      deps.streams.runner,
      stream,
      {
        type: 'RecordLaunchFailed',
        data: {
          attempt: launching.attempt,
          reason: result.reason,
          detail: result.detail,
          retryable: result.retryable,
          maxAttempts: pool.maxLaunchAttempts,
          at: deps.clock.now(),
          errorCodes: result.errorCodes,
          ...(result.placements ? { placements: result.placements } : {}),
        },
      },
      correlationId,
      { state: launching, version: started.version },
    );
    state = failed.state;
    current = { state, version: failed.version };
    if (state.status === 'launch_failed') {
      await releaseSlot(deps, pool.id, runnerId, correlationId);
      if (state.requestedForJobId) {
        await execute(
          deps,
          deps.streams.job,
          jobStreamId(state.requestedForJobId),
          {
            type: 'RecordScaleUpRejection',
            data: {
              poolId: pool.id,
              reason: 'launch-failed',
              detail: `${result.reason}: ${result.detail}`,
              at: deps.clock.now(),
            },
          },
          correlationId,
        );
      }
      return { kind: 'gave-up', detail: `launch failed for good: ${result.reason}: ${result.detail}` };
    }
    const failover =
      capacityType === 'spot' &&
      result.errorCodes.some((code) => pool.capacity.onDemandFailoverFor.includes(code));
    if (!failover) return { kind: 'retry', runnerId, detail: `${result.reason}: ${result.detail}` };
    deps.logger.info('Failing over to on-demand capacity', {
      runnerId,
      pool: pool.id,
      errorCodes: result.errorCodes,
    });
    capacityType = 'on-demand';
  }
}

type Started = { readonly found: RunnerState } | Pick<RunnerResult, 'outcome' | 'state' | 'version'>;

/**
 * Records the launch call about to be made (`StartLaunch`), unless a launch already under way
 * — whose outcome was never recorded (a crash) or is unknown — started a machine: its key is
 * looked up before calling again (see launch-step.ts), and the machine found is returned.
 */
async function startLaunch(
  deps: ScalerDeps,
  pool: PoolConfig,
  stream: string,
  state: RunnerState,
  capacityType: CapacityType,
  correlationId: string,
  current: KnownStream<RunnerState> | undefined,
): Promise<Started> {
  if (state.status === 'launching') {
    const found = await recordMachineFoundByKey(deps, pool, state, correlationId);
    if (found) return { found };
  }
  return execute(
    deps,
    deps.streams.runner,
    stream,
    { type: 'StartLaunch', data: { capacityType, at: deps.clock.now() } },
    correlationId,
    current,
  );
}

/**
 * GitHub adds no default labels to a JIT runner: they are sent with the pool's, each label once
 * whatever its case (GitHub compares labels case-insensitively), the pool's spelling kept.
 */
function jitLabels(pool: PoolConfig): string[] {
  const spelling = new Map(pool.labels.map((label) => [label.toLowerCase(), label]));
  const defaults = (pool.defaultLabels ?? []).map((label) => spelling.get(label.toLowerCase()) ?? label);
  return [...new Set([...defaults, ...pool.labels])];
}

/**
 * Issues the runner's registration as a decided step: claim it, call GitHub, record that GitHub
 * created it, write the secret, record it issued. Only the claim holder calls GitHub and writes
 * the secret; the reasoning for every crash point is in registration-step.ts.
 */
async function issueRegistration(
  deps: ScalerDeps,
  pool: PoolConfig,
  state: RunnerState,
  correlationId: string,
  known?: KnownStream<RunnerState>,
  decided?: RegistrationClaim,
): Promise<void> {
  const machine = machineOf(state);
  if (state.status === 'none' || !machine || registrationDone(machine) || machine.registering?.created)
    return;
  const runnerName = runnerNameFor(pool, state.runnerId);
  const claim = decided ?? (await claimRegistration(deps, state.runnerId, runnerName, correlationId, known));
  if (claim.kind !== 'claimed') return;
  const scope = scopeFor(pool);
  let secret: RunnerSecret;
  let githubRunnerId: number | null = null;
  if (state.ephemeral && pool.jitConfig !== false) {
    const labels = jitLabels(pool);
    const request = { scope, runnerName, labels, runnerGroup: pool.runnerGroup };
    let jit = await deps.registry.createJitConfig(request);
    if (jit.outcome === 'name-taken') {
      const cleared = await clearAbandonedRegistration(
        deps,
        scope,
        state.runnerId,
        runnerName,
        correlationId,
      );
      if (cleared === 'adopted') return;
      jit = await deps.registry.createJitConfig(request);
      if (jit.outcome === 'name-taken') {
        throw new DependencyError(
          'github',
          'generate-jitconfig',
          `runner name ${runnerName} is still taken`,
          true,
        );
      }
    }
    githubRunnerId = jit.githubRunnerId;
    secret = { kind: 'jit', jitConfig: jit.encodedJitConfig };
  } else {
    const token = await deps.registry.createRegistrationToken(scope);
    const path = scope.level === 'repo' ? `${scope.owner}/${scope.repo}` : scope.owner;
    secret = {
      kind: 'registration',
      token: token.token,
      url: `${deps.options.githubWebUrl.replace(/\/$/, '')}/${path}`,
      name: runnerName,
      labels: pool.labels,
      runnerGroup: pool.runnerGroup ?? null,
      ...(state.ephemeral ? { ephemeral: true as const } : {}),
      ...(pool.defaultLabels?.length === 0 ? { noDefaultLabels: true as const } : {}),
    };
  }
  // Taken over meanwhile: this config must never reach the secret store.
  const created = await recordCreated(deps, claim, state.runnerId, runnerName, githubRunnerId, correlationId);
  if (!created) return;
  // Readable by this runner's machine only (IAM on AWS): another runner's job cannot take it.
  try {
    await deps.secrets.put(secretRefOf(state), encodeRunnerSecret(secret), {
      compute: state.compute,
      instanceId: machine.instanceId,
    });
  } catch (error) {
    await removeUndeliveredRegistration(
      deps,
      scope,
      claim.attempt,
      state.runnerId,
      githubRunnerId,
      error,
      correlationId,
    );
    throw error;
  }
  await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(state.runnerId),
    { type: 'RecordRegistrationIssued', data: { runnerName, githubRunnerId, at: deps.clock.now() } },
    correlationId,
    created,
  );
}

/** A launch that needs the message back is a retryable dependency problem for the handler. */
export function retryableLaunchError(outcome: Extract<ScaleUpOutcome, { kind: 'retry' }>): DependencyError {
  return new DependencyError('compute', 'launch', `runner ${outcome.runnerId}: ${outcome.detail}`, true);
}
