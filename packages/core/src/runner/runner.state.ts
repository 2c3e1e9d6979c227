import type { ComputeKind } from '../config/pool-config';
import type { RunnerSecretRef } from '../ports/secret-store';
import type { InstanceId, IsoTime, JobId, PoolId, RunnerId } from '../shared/brand';
import type { CapacityType, LaunchFailureReason, TerminationReason } from './runner.events';

/** Known from the request on. */
export interface RunnerBase {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly requestedForJobId: JobId | null;
  readonly ephemeral: boolean;
  readonly compute: ComputeKind;
  readonly requestedAt: IsoTime;
  readonly launchAttempts: number;
  /** Null for runners requested before secret suffixes existed. */
  readonly secretSuffix: string | null;
  /** When a launch was last called (first call or resume): a call may be in flight until much later. */
  readonly lastLaunchCallAt: IsoTime | null;
  /** Launch attempts recorded as failed, retried or final (`hangar pools` counts them from heads). */
  readonly launchFailures: number;
  /** When the latest of those failures happened (null: none). */
  readonly lastLaunchFailureAt: IsoTime | null;
}

/** Known once the cloud gave us a machine. */
export interface Machine {
  readonly instanceId: InstanceId;
  readonly instanceType: string | null;
  readonly capacityType: CapacityType;
  readonly launchedAt: IsoTime;
  /** The name (and GitHub id) it is registered under, once GitHub created its registration. */
  readonly registration: { readonly runnerName: string; readonly githubRunnerId: number | null } | null;
  /** The registration step under way (see application/registration-step.ts). */
  readonly registering: RegistrationStep | null;
  /**
   * When its config (JIT config or registration token) reached the secret store, or was found
   * in use: the machine can only boot from then on (null: not yet).
   */
  readonly configDeliveredAt: IsoTime | null;
  readonly online: boolean;
  readonly jobsRun: number;
  /** Jobs it finished lately, newest first (see runner.jobs.ts): their late deliveries change nothing. */
  readonly finishedJobs: readonly FinishedJob[];
  /** When the latest of its jobs finished (GitHub's `completed_at`): older starts are stale. */
  readonly latestFinishAt: IsoTime | null;
  /** When the cloud warned that the machine is reclaimed (null: never). */
  readonly interruptedAt: IsoTime | null;
}

/** Who holds the registration step and how far it got. */
export interface RegistrationStep {
  readonly attempt: number;
  /** When the holder claimed it, or recorded GitHub's answer: the lease runs from here. */
  readonly since: IsoTime;
  /** GitHub created the registration for this attempt: its config may be in the secret store. */
  readonly created: { readonly githubRunnerId: number | null } | null;
  /** The config is in the secret store (or was found in use): the step is over. */
  readonly delivered: boolean;
  /**
   * The attempt's registration was deleted because its config could not be stored
   * (RunnerRegistrationRemoved): the next claim is taken at once, as attempt N+1.
   */
  readonly removed?: boolean;
}

/** Is the registration step over (also for streams recorded before the step was decided)? */
export function registrationDone(machine: Machine): boolean {
  return machine.registration !== null && (machine.registering === null || machine.registering.delivered);
}

/** A job the runner finished, and when (GitHub's `completed_at`). */
export interface FinishedJob {
  readonly jobId: JobId;
  readonly finishedAt: IsoTime;
}

export type RunnerState =
  /** Never requested; `withdrawnAt`: and never will be (RunnerRequestWithdrawn). */
  | { readonly status: 'none'; readonly withdrawnAt?: IsoTime }
  | (RunnerBase & {
      readonly status: 'requested';
      readonly lastFailure: { readonly reason: LaunchFailureReason; readonly detail: string } | null;
    })
  | (RunnerBase & {
      readonly status: 'launching';
      readonly attempt: number;
      readonly capacityType: CapacityType;
      readonly launchStartedAt: IsoTime;
      /** The last call of this attempt failed without telling whether a machine was started. */
      readonly outcomeUnknown: { readonly reason: LaunchFailureReason; readonly detail: string } | null;
    })
  | (RunnerBase & { readonly status: 'launched'; readonly machine: Machine })
  | (RunnerBase & { readonly status: 'idle'; readonly machine: Machine; readonly idleSince: IsoTime })
  | (RunnerBase & {
      readonly status: 'busy';
      readonly machine: Machine;
      /** The job it runs now: the latest one seen starting (null: GitHub said busy, not with what). */
      readonly currentJobId: JobId | null;
      /** Jobs seen starting and not finishing yet; empty when busy with a job GitHub did not name. */
      readonly runningJobIds: readonly JobId[];
      readonly busySince: IsoTime;
    })
  | (RunnerBase & {
      readonly status: 'terminating';
      readonly machine: Machine | null;
      readonly reason: TerminationReason;
      readonly terminationRequestedAt: IsoTime;
      readonly deregistered: boolean;
    })
  | (RunnerBase & {
      readonly status: 'terminated';
      readonly machine: Machine | null;
      readonly reason: TerminationReason | null;
      readonly terminatedAt: IsoTime;
    })
  | (RunnerBase & {
      readonly status: 'launch_failed';
      readonly reason: LaunchFailureReason;
      readonly detail: string;
      readonly failedAt: IsoTime;
    });

export const initialRunnerState: RunnerState = { status: 'none' };

export type KnownRunnerState = Exclude<RunnerState, { status: 'none' }>;
/** Statuses in which the runner has a machine for sure. */
export type MachineRunnerState = Extract<RunnerState, { status: 'launched' | 'idle' | 'busy' }>;

export function hasMachine(state: RunnerState): state is MachineRunnerState {
  return state.status === 'launched' || state.status === 'idle' || state.status === 'busy';
}

/** The machine, in whatever status it is known. */
export function machineOf(state: RunnerState): Machine | null {
  if (hasMachine(state)) return state.machine;
  if (state.status === 'terminating' || state.status === 'terminated') return state.machine;
  return null;
}

export function baseOf(state: KnownRunnerState): RunnerBase {
  const { runnerId, poolId, requestedForJobId, ephemeral, compute, requestedAt, launchAttempts } = state;
  const secretSuffix = state.secretSuffix;
  const { lastLaunchCallAt, launchFailures, lastLaunchFailureAt } = state;
  return {
    runnerId,
    poolId,
    requestedForJobId,
    ephemeral,
    compute,
    requestedAt,
    launchAttempts,
    secretSuffix,
    lastLaunchCallAt,
    launchFailures,
    lastLaunchFailureAt,
  };
}

/** Where this runner's secret lives (the name recorded when it was requested). */
export function secretRefOf(state: KnownRunnerState): RunnerSecretRef {
  return { runnerId: state.runnerId, suffix: state.secretSuffix };
}
