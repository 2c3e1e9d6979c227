import type { UnroutableReason } from '../job/job.events';
import type { CapacityType, LaunchFailureReason, LaunchPlacementError } from '../runner/runner.events';
import type { InstanceId, IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';

/**
 * Why a queued job has no runner yet, as a stable code: the CLI renders it, and the waiting
 * metric uses it as a dimension (`JobsWaiting{reason}`), so every code is documented in
 * docs/operations.md and never renamed.
 */
export const WAIT_REASON_CODES = [
  'awaiting-approval',
  'unroutable',
  'awaiting-scale-up',
  'pool-at-max',
  'gave-up',
  'not-queued-on-github',
  'capacity-unavailable',
  'launch-failing',
  'runner-requested',
  'launching',
  'runner-booting',
  'runner-idle',
  'starting',
  'runner-took-other-job',
  'runner-interrupted',
  'runner-ended',
] as const;
export type WaitReasonCode = (typeof WAIT_REASON_CODES)[number];

/** One failed launch attempt, as the runner stream recorded it. */
export interface LaunchFailureFacts {
  readonly attempt: number;
  readonly capacityType: CapacityType | null;
  readonly reason: LaunchFailureReason;
  readonly errorCodes: readonly string[];
  readonly placements: readonly LaunchPlacementError[];
  readonly detail: string;
  readonly final: boolean;
  readonly at: IsoTime;
}

/** A launch call whose outcome is unknown, as the runner stream recorded it. */
export interface LaunchOutcomeUnknownFacts {
  readonly reason: LaunchFailureReason;
  readonly detail: string;
  readonly at: IsoTime;
}

interface Since {
  /** When the condition the code names began. */
  readonly since: IsoTime;
}
interface OnRunner {
  readonly poolId: PoolId;
  readonly runnerId: RunnerId;
}

export type WaitReason =
  | (Since & { readonly code: 'awaiting-approval' })
  | (Since & {
      readonly code: 'unroutable';
      readonly unroutable: UnroutableReason;
      readonly labels: readonly string[];
      /** owner/repo: a repo-level pool serves only its own repository, so labels alone may not say why. */
      readonly repository: string | null;
    })
  | (Since & { readonly code: 'awaiting-scale-up' })
  | (Since & {
      readonly code: 'pool-at-max';
      readonly poolId: PoolId;
      /** Runners holding a slot and the maximum when scale-up said no (null on events older than these fields). */
      readonly alive: number | null;
      readonly max: number | null;
      readonly detail: string;
    })
  | (Since & { readonly code: 'gave-up'; readonly poolId: PoolId; readonly detail: string })
  | (Since & { readonly code: 'not-queued-on-github'; readonly poolId: PoolId; readonly detail: string })
  | (Since &
      OnRunner & {
        readonly code: 'capacity-unavailable' | 'launch-failing';
        readonly failure: LaunchFailureFacts;
        /** false once the runner gave up (`final`): the reconciler requests another runner later. */
        readonly retrying: boolean;
      })
  | (Since & OnRunner & { readonly code: 'runner-requested' })
  | (Since &
      OnRunner & {
        readonly code: 'launching';
        readonly attempt: number;
        readonly capacityType: CapacityType | null;
        /** The failure that made this a retry or a failover (e.g. spot capacity, now on-demand). */
        readonly after: LaunchFailureFacts | null;
        /**
         * The launch call failed without telling whether a machine started (throttled, 5xx,
         * timeout): the next scale-up delivery looks the machine up by its launch key first.
         */
        readonly outcomeUnknown: LaunchOutcomeUnknownFacts | null;
      })
  | (Since &
      OnRunner & {
        readonly code: 'runner-booting';
        readonly instanceId: InstanceId | null;
        readonly registered: boolean;
      })
  | (Since & OnRunner & { readonly code: 'runner-idle'; readonly runnerName: string | null })
  | (Since & OnRunner & { readonly code: 'starting' })
  | (Since & OnRunner & { readonly code: 'runner-took-other-job'; readonly otherJobId: JobId | null })
  | (Since & OnRunner & { readonly code: 'runner-interrupted' })
  | (Since & OnRunner & { readonly code: 'runner-ended'; readonly endReason: string | null });
