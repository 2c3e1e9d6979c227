import type { ComputeKind } from '../config/pool-config';
import type { InstanceId, IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';
import type {
  CapacityType,
  LaunchFailureReason,
  LaunchPlacementError,
  TerminationReason,
} from './runner.events';

type Cmd<T extends string, D> = { readonly type: T; readonly data: D };

/** Intention: we want a runner. */
export type RequestRunner = Cmd<
  'RequestRunner',
  {
    readonly runnerId: RunnerId;
    readonly poolId: PoolId;
    readonly jobId: JobId | null;
    readonly ephemeral: boolean;
    readonly compute: ComputeKind;
    /** Unguessable (from IdGenerator.unguessable); a repeat of the request keeps the first one. */
    readonly secretSuffix: string;
    readonly at: IsoTime;
  }
>;
/**
 * Intention: make sure no runner is ever requested under this id (its slot is about to be
 * given back). Refused once the runner was requested.
 */
export type WithdrawRunnerRequest = Cmd<
  'WithdrawRunnerRequest',
  { readonly poolId: PoolId; readonly at: IsoTime }
>;
/** Intention: begin a launch attempt, or call the one under way again with the same key. */
export type StartLaunch = Cmd<'StartLaunch', { readonly capacityType: CapacityType; readonly at: IsoTime }>;
/**
 * Intention: take the registration step (call GitHub, write the secret). Refused while
 * another invocation's claim is younger than `leaseSeconds` (longer than any invocation lives).
 */
export type StartRegistration = Cmd<
  'StartRegistration',
  { readonly runnerName: string; readonly leaseSeconds: number; readonly at: IsoTime }
>;
/** Intention: remove the runner. Refused while it runs a job. */
export type RequestTermination = Cmd<
  'RequestTermination',
  { readonly reason: TerminationReason; readonly at: IsoTime }
>;

/** Facts: never rejected; a repeat or a fact that no longer applies decides `[]`. */
export type RecordLaunchSucceeded = Cmd<
  'RecordLaunchSucceeded',
  {
    readonly instanceId: InstanceId;
    readonly instanceType: string | null;
    readonly capacityType: CapacityType;
    readonly at: IsoTime;
  }
>;
export type RecordLaunchFailed = Cmd<
  'RecordLaunchFailed',
  {
    readonly attempt: number;
    readonly reason: LaunchFailureReason;
    readonly detail: string;
    readonly retryable: boolean;
    readonly maxAttempts: number;
    readonly at: IsoTime;
    readonly errorCodes?: readonly string[];
    readonly placements?: readonly LaunchPlacementError[];
  }
>;
/** Recorded only by the attempt holding the claim; `[]` for any other (it must not write its config). */
export type RecordLaunchOutcomeUnknown = Cmd<
  'RecordLaunchOutcomeUnknown',
  {
    readonly attempt: number;
    readonly reason: LaunchFailureReason;
    readonly detail: string;
    readonly at: IsoTime;
  }
>;
export type RecordRegistrationCreated = Cmd<
  'RecordRegistrationCreated',
  {
    readonly attempt: number;
    readonly runnerName: string;
    readonly githubRunnerId: number | null;
    readonly at: IsoTime;
  }
>;
/** Recorded by the attempt that recorded Created only, before its config was delivered. */
export type RecordRegistrationRemoved = Cmd<
  'RecordRegistrationRemoved',
  { readonly attempt: number; readonly at: IsoTime }
>;
export type RecordRegistrationIssued = Cmd<
  'RecordRegistrationIssued',
  {
    readonly runnerName: string;
    readonly githubRunnerId: number | null;
    readonly adopted?: boolean;
    readonly at: IsoTime;
  }
>;
export type RecordRunnerOnline = Cmd<'RecordRunnerOnline', { readonly at: IsoTime }>;
/** `jobId` is null when GitHub said "busy" without telling which job. */
export type RecordRunnerJobStarted = Cmd<
  'RecordRunnerJobStarted',
  { readonly jobId: JobId | null; readonly at: IsoTime }
>;
export type RecordRunnerJobFinished = Cmd<
  'RecordRunnerJobFinished',
  { readonly jobId: JobId | null; readonly at: IsoTime }
>;
export type RecordSpotInterruption = Cmd<'RecordSpotInterruption', { readonly at: IsoTime }>;
export type RecordDeregistered = Cmd<'RecordDeregistered', { readonly at: IsoTime }>;
/**
 * `deregistered`: the caller deleted the runner's GitHub registration (or found none) during
 * its termination; a terminating runner then records the deregistration with the termination,
 * in one append.
 */
export type RecordInstanceTerminated = Cmd<
  'RecordInstanceTerminated',
  { readonly at: IsoTime; readonly deregistered?: boolean }
>;

export type RunnerCommand =
  | RequestRunner
  | WithdrawRunnerRequest
  | StartLaunch
  | StartRegistration
  | RequestTermination
  | RecordLaunchSucceeded
  | RecordLaunchFailed
  | RecordLaunchOutcomeUnknown
  | RecordRegistrationCreated
  | RecordRegistrationRemoved
  | RecordRegistrationIssued
  | RecordRunnerOnline
  | RecordRunnerJobStarted
  | RecordRunnerJobFinished
  | RecordSpotInterruption
  | RecordDeregistered
  | RecordInstanceTerminated;

export type RunnerRejection =
  | { readonly reason: 'runner-busy'; readonly jobId: JobId | null }
  | { readonly reason: 'runner-ended'; readonly status: string }
  | { readonly reason: 'unknown-runner' }
  | { readonly reason: 'request-withdrawn'; readonly at: IsoTime }
  | { readonly reason: 'runner-requested'; readonly status: string }
  | { readonly reason: 'not-launchable'; readonly status: string }
  | { readonly reason: 'not-registrable'; readonly status: string }
  | { readonly reason: 'registration-in-progress'; readonly since: IsoTime }
  | { readonly reason: 'registration-created'; readonly attempt: number };
