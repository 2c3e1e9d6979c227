import type { InstanceId, IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';
import type { ComputeKind } from '../config/pool-config';

export type CapacityType = 'spot' | 'on-demand' | 'fargate';

/** Why a launch failed, as classified by the compute adapter. */
export type LaunchFailureReason =
  | 'insufficient-capacity'
  | 'throttled'
  | 'quota-exceeded'
  | 'invalid-configuration'
  | 'dependency-unavailable'
  | 'unknown';

/** One error the cloud reported for one place it tried (an EC2 fleet override). */
export interface LaunchPlacementError {
  readonly errorCode: string;
  readonly instanceType: string | null;
  readonly subnetId: string | null;
}

export type TerminationReason =
  | 'idle'
  | 'boot-timeout'
  | 'launch-stalled'
  | 'registration-lost'
  | 'job-done'
  | 'spot-interruption'
  | 'orphan'
  | 'launch-abandoned';

/** Decision: a runner is wanted (for a job, or to top a pool up). */
export type RunnerRequested = {
  readonly type: 'RunnerRequested';
  readonly data: {
    readonly runnerId: RunnerId;
    readonly poolId: PoolId;
    readonly jobId: JobId | null;
    readonly ephemeral: boolean;
    readonly compute: ComputeKind;
    readonly requestedAt: IsoTime;
    /**
     * The unguessable part of the runner's secret name (SecretStore), decided once here so a
     * redelivery reuses it. Absent in events recorded before it existed (name = runner id).
     */
    readonly secretSuffix?: string;
  };
};
/**
 * Decision: no runner will ever be requested under this id. The reconciler records it, at the
 * empty stream's version, before it gives back a slot reserved for this id and never used: a
 * scale-up coming back late with that reservation then loses (its `RunnerRequested` conflicts,
 * or is refused), so it cannot run a runner whose slot was given back.
 */
export type RunnerRequestWithdrawn = {
  readonly type: 'RunnerRequestWithdrawn';
  readonly data: { readonly poolId: PoolId; readonly reason: 'reservation-abandoned'; readonly at: IsoTime };
};
/** Decision: launch attempt N begins; its idempotency key is `<runnerId>-<attempt>`. */
export type RunnerLaunchStarted = {
  readonly type: 'RunnerLaunchStarted';
  readonly data: { readonly attempt: number; readonly capacityType: CapacityType; readonly at: IsoTime };
};
/**
 * Decision: attempt N's launch is called again with the same idempotency key (after a crash
 * or an unknown outcome); recorded before the call, so we know when a call may still be in flight.
 */
export type RunnerLaunchResumed = {
  readonly type: 'RunnerLaunchResumed';
  readonly data: { readonly attempt: number; readonly at: IsoTime };
};
/**
 * Fact: attempt N's launch call failed without telling whether a machine was started
 * (throttled, 5xx, timeout, dropped connection). The attempt stays open, and its slot counted,
 * until a machine is found by its key or a call with that key gets a definite answer.
 */
export type RunnerLaunchOutcomeUnknown = {
  readonly type: 'RunnerLaunchOutcomeUnknown';
  readonly data: {
    readonly attempt: number;
    readonly reason: LaunchFailureReason;
    readonly detail: string;
    readonly at: IsoTime;
  };
};
/** Fact: the cloud gave us a machine. */
export type RunnerLaunched = {
  readonly type: 'RunnerLaunched';
  readonly data: {
    readonly instanceId: InstanceId;
    readonly instanceType: string | null;
    readonly capacityType: CapacityType;
    readonly launchedAt: IsoTime;
  };
};
/**
 * Fact: a launch attempt failed for sure (the cloud answered and started nothing for its key).
 * `final` ends the runner; otherwise it may be tried again.
 */
export type RunnerLaunchFailed = {
  readonly type: 'RunnerLaunchFailed';
  readonly data: {
    readonly attempt: number;
    readonly reason: LaunchFailureReason;
    readonly detail: string;
    readonly final: boolean;
    readonly at: IsoTime;
    /** The cloud's raw error codes (added after the first release: absent on older events). */
    readonly errorCodes?: readonly string[];
    /** The instance type / subnet each error was reported for (EC2), so operators see where capacity ran out. */
    readonly placements?: readonly LaunchPlacementError[];
  };
};
/**
 * Decision: registration attempt N begins; only the invocation that appended it calls GitHub
 * and writes the secret. Another may take over after the lease (the first one died).
 */
export type RunnerRegistrationStarted = {
  readonly type: 'RunnerRegistrationStarted';
  readonly data: { readonly attempt: number; readonly runnerName: string; readonly at: IsoTime };
};
/**
 * Fact: GitHub created attempt N's registration (JIT config) or registration token. The
 * config itself is never recorded: only the invocation that recorded this holds it, and
 * only it may write it to the secret store.
 */
export type RunnerRegistrationCreated = {
  readonly type: 'RunnerRegistrationCreated';
  readonly data: {
    readonly attempt: number;
    readonly runnerName: string;
    readonly githubRunnerId: number | null;
    readonly at: IsoTime;
  };
};
/**
 * Fact: the holder of attempt N's config deleted the registration GitHub created for it, because
 * the secret store answered that it stored nothing: no machine can hold that config, so a later
 * delivery claims attempt N+1 and registers again (registration-step.ts).
 */
export type RunnerRegistrationRemoved = {
  readonly type: 'RunnerRegistrationRemoved';
  readonly data: { readonly attempt: number; readonly reason: 'secret-not-stored'; readonly at: IsoTime };
};
/** Fact: GitHub issued this runner's JIT config (or registration token) and it is in the secret store. */
export type RunnerRegistrationIssued = {
  readonly type: 'RunnerRegistrationIssued';
  readonly data: {
    readonly runnerName: string;
    readonly githubRunnerId: number | null;
    /**
     * True when the registration was found live at GitHub (online or busy) after an earlier
     * attempt's answer was lost: its config reached the machine through that attempt.
     */
    readonly adopted?: boolean;
    readonly at: IsoTime;
  };
};
/** Fact: GitHub reports the runner online. */
export type RunnerOnline = { readonly type: 'RunnerOnline'; readonly data: { readonly at: IsoTime } };
/** Fact: the runner started a job (from `workflow_job.in_progress`, or GitHub said it is busy). */
export type RunnerJobStarted = {
  readonly type: 'RunnerJobStarted';
  readonly data: { readonly jobId: JobId | null; readonly at: IsoTime };
};
/** Fact: the runner's job finished. */
export type RunnerJobFinished = {
  readonly type: 'RunnerJobFinished';
  readonly data: { readonly jobId: JobId | null; readonly at: IsoTime };
};
/** Fact: the cloud warned that the spot machine is being reclaimed. */
export type RunnerInterrupted = {
  readonly type: 'RunnerInterrupted';
  readonly data: { readonly at: IsoTime };
};
/** Decision: the runner is to be removed. */
export type RunnerTerminationRequested = {
  readonly type: 'RunnerTerminationRequested';
  readonly data: { readonly reason: TerminationReason; readonly at: IsoTime };
};
/** Fact: the GitHub registration is gone (we deleted it, or the ephemeral runner removed itself). */
export type RunnerDeregistered = {
  readonly type: 'RunnerDeregistered';
  readonly data: { readonly at: IsoTime };
};
/** Fact: the machine is gone. */
export type RunnerTerminated = { readonly type: 'RunnerTerminated'; readonly data: { readonly at: IsoTime } };

export type RunnerEvent =
  | RunnerRequested
  | RunnerRequestWithdrawn
  | RunnerLaunchStarted
  | RunnerLaunchResumed
  | RunnerLaunchOutcomeUnknown
  | RunnerLaunched
  | RunnerLaunchFailed
  | RunnerRegistrationStarted
  | RunnerRegistrationCreated
  | RunnerRegistrationRemoved
  | RunnerRegistrationIssued
  | RunnerOnline
  | RunnerJobStarted
  | RunnerJobFinished
  | RunnerInterrupted
  | RunnerTerminationRequested
  | RunnerDeregistered
  | RunnerTerminated;
