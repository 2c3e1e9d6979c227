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
/** Decision: launch attempt N begins; its idempotency key is `<runnerId>-<attempt>`. */
export type RunnerLaunchStarted = {
  readonly type: 'RunnerLaunchStarted';
  readonly data: { readonly attempt: number; readonly capacityType: CapacityType; readonly at: IsoTime };
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
/** Fact: a launch attempt failed. `final` ends the runner; otherwise it may be tried again. */
export type RunnerLaunchFailed = {
  readonly type: 'RunnerLaunchFailed';
  readonly data: {
    readonly attempt: number;
    readonly reason: LaunchFailureReason;
    readonly detail: string;
    readonly final: boolean;
    readonly at: IsoTime;
  };
};
/** Fact: GitHub issued this runner's JIT config (or registration token) and it is in the secret store. */
export type RunnerRegistrationIssued = {
  readonly type: 'RunnerRegistrationIssued';
  readonly data: {
    readonly runnerName: string;
    readonly githubRunnerId: number | null;
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
  | RunnerLaunchStarted
  | RunnerLaunched
  | RunnerLaunchFailed
  | RunnerRegistrationIssued
  | RunnerOnline
  | RunnerJobStarted
  | RunnerJobFinished
  | RunnerInterrupted
  | RunnerTerminationRequested
  | RunnerDeregistered
  | RunnerTerminated;
