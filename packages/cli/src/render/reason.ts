import type { LaunchFailureFacts, WaitReason } from '@hangar/core';
import { time } from './text';

const where = (failure: LaunchFailureFacts): string => {
  const places = failure.placements.map(
    (p) =>
      `${p.instanceType ?? '?'} in ${p.subnetId ?? '?'}${failure.errorCodes.length > 1 ? ` (${p.errorCode})` : ''}`,
  );
  return places.length > 0 ? ` on ${[...new Set(places)].join(', ')}` : '';
};

const codes = (failure: LaunchFailureFacts): string =>
  failure.errorCodes.length > 0 ? failure.errorCodes.join(', ') : failure.reason;

/** "attempt 1 (spot) failed: InsufficientInstanceCapacity on m7i.large in subnet-a" */
export function failureText(failure: LaunchFailureFacts): string {
  const capacity = failure.capacityType ? ` (${failure.capacityType})` : '';
  return `attempt ${failure.attempt}${capacity} failed: ${codes(failure)}${where(failure)}`;
}

const RETRY_LATER = 'the reconciler asks for another runner after the retry interval, up to the request cap';

/** The reason a job waits, as one sentence an operator can act on. Every code has one. */
export function reasonText(reason: WaitReason): string {
  switch (reason.code) {
    case 'awaiting-approval':
      return `waiting for a deployment environment approval (GitHub reported it at ${time(reason.since)})`;
    case 'unroutable':
      return reason.unroutable === 'repository-not-allowed'
        ? 'the repository is not in the allow-list: Hangar launches no runner for it'
        : `no pool serves its labels [${reason.labels.join(', ')}]${reason.repository ? ` for ${reason.repository}` : ''} (an org-level pool with those labels, or a repo-level pool of that repository): Hangar launches no runner for it`;
    case 'awaiting-scale-up':
      return 'queued; scale-up has not taken it yet (scale-up delay, or a backlog on the scale-up queue)';
    case 'pool-at-max': {
      const count =
        reason.alive !== null && reason.max !== null
          ? `: ${reason.alive} of ${reason.max} runners alive`
          : '';
      return `pool ${reason.poolId} is at its maximum${count}; scale-up retries until a slot frees up`;
    }
    case 'gave-up':
      return `scale-up stopped retrying: the job waited past the queue limit while ${reason.detail}`;
    case 'not-queued-on-github':
      return `GitHub says the job is no longer queued (${reason.detail}): no runner is launched for it`;
    case 'capacity-unavailable':
    case 'launch-failing': {
      const what =
        reason.code === 'capacity-unavailable' ? 'no capacity' : `launch failing (${reason.failure.reason})`;
      const next = reason.retrying
        ? 'scale-up retries the launch'
        : `runner ${reason.runnerId} gave up; ${RETRY_LATER}`;
      return `${what} for runner ${reason.runnerId}: ${failureText(reason.failure)}; ${next}`;
    }
    case 'runner-requested':
      return `runner ${reason.runnerId} requested in pool ${reason.poolId}; its launch has not started`;
    case 'launching': {
      const after = reason.after ? `, after ${failureText(reason.after)}` : '';
      const capacity = reason.capacityType ? `, ${reason.capacityType}` : '';
      const unknown = reason.outcomeUnknown
        ? `; the launch call's outcome is unknown since ${time(reason.outcomeUnknown.at)} (${reason.outcomeUnknown.reason}: ${reason.outcomeUnknown.detail}), so the next try looks the machine up by its launch key before launching again`
        : '';
      return `launching runner ${reason.runnerId} (attempt ${reason.attempt}${capacity})${after}${unknown}`;
    }
    case 'runner-booting':
      return `waiting for runner ${reason.runnerId} (${reason.instanceId ?? 'machine'}) to come online since ${time(reason.since)}${reason.registered ? '' : '; its registration is not issued yet'}`;
    case 'runner-idle':
      return `runner ${reason.runnerName ?? reason.runnerId} is online and idle; GitHub has not given it this job`;
    case 'starting':
      return `runner ${reason.runnerId} reported starting this job; GitHub's in_progress has not been recorded yet`;
    case 'runner-took-other-job':
      return `GitHub gave runner ${reason.runnerId} another job (${reason.otherJobId ?? 'unnamed'}) with the same labels; ${RETRY_LATER}`;
    case 'runner-interrupted':
      return `runner ${reason.runnerId}'s spot machine was reclaimed at ${time(reason.since)}; ${RETRY_LATER}`;
    case 'runner-ended':
      return `runner ${reason.runnerId} ended (${reason.endReason ?? 'machine gone'}) before taking the job; ${RETRY_LATER}`;
  }
}

/** A short label for tables: the code, plus the one fact that matters most. */
export function reasonLabel(reason: WaitReason): string {
  switch (reason.code) {
    case 'pool-at-max':
      return reason.alive !== null && reason.max !== null
        ? `pool-at-max (${reason.alive}/${reason.max})`
        : 'pool-at-max';
    case 'capacity-unavailable':
    case 'launch-failing':
      return `${reason.code} (${codes(reason.failure)})`;
    case 'launching':
      return `launching (attempt ${reason.attempt}${reason.capacityType ? `, ${reason.capacityType}` : ''})`;
    default:
      return reason.code;
  }
}
