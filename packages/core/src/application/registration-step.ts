import type { RunnerScope } from '../ports/runner-registry';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf, type RunnerState } from '../runner/runner.state';
import type { RunnerId } from '../shared/brand';
import { DependencyError } from '../shared/errors';
import type { ScalerDeps } from './deps';
import { changed, execute, executeAll } from './execute';
import type { KnownStream, SequenceResult } from './handle-command';
import type { RunnerCommand, RunnerRejection } from '../runner/runner.commands';
import type { RunnerEvent } from '../runner/runner.events';

/**
 * Registration (GitHub's JIT config or registration token, then the secret the machine reads)
 * as a decided step on the runner stream. Crash-safety reasoning, step by step:
 *
 * 1. Claim: `StartRegistration` is appended at the version read. Of invocations racing for one
 *    runner (a duplicated `queued`, SQS delivering a message twice) exactly one append wins; the
 *    others see the claim and do nothing visible — their message is acknowledged, since the
 *    winner's own message comes back if the winner dies. A claim older than the lease belongs to
 *    an invocation that is gone, so the next delivery takes the step over as attempt N+1.
 * 2. Only the claim holder calls GitHub.
 * 3. The holder records `RegistrationCreated` for its attempt *before* writing the secret. It is
 *    recorded only while that attempt still holds the claim, so a holder that was taken over (slow,
 *    not dead) never writes its config. Hence a config reaches the secret store only through an
 *    attempt that recorded Created, and Created ends all claiming.
 * 4. The secret is written, then `RegistrationIssued`.
 *
 * When GitHub's answer is lost after it accepted (a timeout, a dropped connection, a crash before
 * Created): the registration exists, nobody holds its config and no Created was recorded. The next
 * attempt's JIT call is answered `name-taken` (409). By (3) that registration's config was never
 * written anywhere, so no machine can be using it: it is deleted and the JIT call made again. If
 * GitHub shows it online or busy anyway — which (3) rules out — it is adopted, never deleted.
 *
 * A crash after Created leaves the runner registered under its name and id whether or not the
 * secret was written. Written: the machine boots as usual. Not written: the machine never comes
 * online, the boot timeout removes it (deregistering that registration) and the reconciler asks
 * for another runner for the job. Writing a second config instead could strand a machine that
 * already took the first one, so nothing is re-sent.
 *
 * A secret write that fails while the holder is alive is repaired at once when the store says it
 * stored nothing (`notApplied`: throttled past the retries, refused, a limit). The holder is the
 * only one that ever had this config, and it is nowhere else, so no machine can hold it: the
 * holder deletes the registration (GitHub cannot show it online or busy — if it ever did, it is
 * kept) and records `RunnerRegistrationRemoved`, which lets the next delivery claim attempt N+1 at
 * once and register again. After any other failure (a 5xx, a timeout) the config may be stored
 * and already read by the machine (its boot script deletes it), so the registration is kept and
 * the launch-stall time removes a machine that never got it, as for a crash.
 */
export type RegistrationClaim =
  | { readonly kind: 'claimed'; readonly attempt: number; readonly known: KnownStream<RunnerState> }
  | { readonly kind: 'not-ours'; readonly detail: string };

/** Step 1's command: claim the registration of `runnerName` for the lease. */
export function startRegistration(
  deps: Pick<ScalerDeps, 'options' | 'clock'>,
  runnerName: string,
): Extract<RunnerCommand, { type: 'StartRegistration' }> {
  return {
    type: 'StartRegistration',
    data: { runnerName, leaseSeconds: deps.options.registrationLeaseSeconds, at: deps.clock.now() },
  };
}

export async function claimRegistration(
  deps: ScalerDeps,
  runnerId: RunnerId,
  runnerName: string,
  correlationId: string,
  known?: KnownStream<RunnerState>,
): Promise<RegistrationClaim> {
  const claim = await executeAll(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    [startRegistration(deps, runnerName)],
    correlationId,
    known,
  );
  return claimDecided(claim, 0) ?? { kind: 'not-ours', detail: 'not decided' };
}

/**
 * What the `StartRegistration` at position `index` of an appended sequence came to: undefined
 * when the sequence ended before it (the claim is then still to be made).
 */
export function claimDecided(
  result: SequenceResult<RunnerEvent, RunnerState, RunnerRejection>,
  index: number,
): RegistrationClaim | undefined {
  if (result.outcome === 'rejected')
    return result.steps.length === index ? { kind: 'not-ours', detail: result.rejection.reason } : undefined;
  const events = result.steps[index];
  if (events === undefined) return undefined;
  const attempt = machineOf(result.state)?.registering?.attempt;
  if (events.length === 0 || attempt === undefined) return { kind: 'not-ours', detail: 'already registered' };
  return { kind: 'claimed', attempt, known: { state: result.state, version: result.version } };
}

/**
 * Step 3: the stream after Created when this attempt still holds the claim and may write its
 * config; null when it was taken over.
 */
export async function recordCreated(
  deps: ScalerDeps,
  claim: Extract<RegistrationClaim, { kind: 'claimed' }>,
  runnerId: RunnerId,
  runnerName: string,
  githubRunnerId: number | null,
  correlationId: string,
): Promise<KnownStream<RunnerState> | null> {
  const { attempt } = claim;
  const created = await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    {
      type: 'RecordRegistrationCreated',
      data: { attempt, runnerName, githubRunnerId, at: deps.clock.now() },
    },
    correlationId,
    claim.known,
  );
  return changed(created) ? { state: created.state, version: created.version } : null;
}

/**
 * The name is taken by a registration an earlier attempt created and never recorded: delete it
 * (no machine can hold its config), or adopt it if GitHub shows it in use after all.
 */
export async function clearAbandonedRegistration(
  deps: ScalerDeps,
  scope: RunnerScope,
  runnerId: RunnerId,
  runnerName: string,
  correlationId: string,
): Promise<'cleared' | 'adopted'> {
  const existing = (await deps.registry.listRunners(scope)).find((runner) => runner.name === runnerName);
  if (!existing) return 'cleared';
  const inUse =
    existing.status === 'online' ||
    existing.busy ||
    (await deps.registry.deleteRunner(scope, existing.githubRunnerId)) === 'busy';
  if (!inUse) {
    deps.logger.warn('Abandoned runner registration removed', { runnerId, runnerName });
    return 'cleared';
  }
  await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    {
      type: 'RecordRegistrationIssued',
      data: { runnerName, githubRunnerId: existing.githubRunnerId, adopted: true, at: deps.clock.now() },
    },
    correlationId,
  );
  deps.logger.warn('Runner registration in use adopted', { runnerId, runnerName });
  return 'adopted';
}

/** After a failed secret write (see above): deletes the attempt's registration only if nothing was stored. */
export async function removeUndeliveredRegistration(
  deps: ScalerDeps,
  scope: RunnerScope,
  attempt: number,
  runnerId: RunnerId,
  githubRunnerId: number | null,
  failure: unknown,
  correlationId: string,
): Promise<void> {
  if (!(failure instanceof DependencyError) || !failure.notApplied) return;
  // A registration token (reusable runners) creates no registration: there is nothing to delete.
  if (githubRunnerId !== null && (await deps.registry.deleteRunner(scope, githubRunnerId)) === 'busy') return;
  await execute(
    deps,
    deps.streams.runner,
    runnerStreamId(runnerId),
    { type: 'RecordRegistrationRemoved', data: { attempt, at: deps.clock.now() } },
    correlationId,
  );
  deps.logger.warn('Runner config not stored; its registration was deleted and is made again', {
    runnerId,
    attempt,
    githubRunnerId,
  });
}
