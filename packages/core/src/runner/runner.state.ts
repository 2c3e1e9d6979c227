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
}

/** Known once the cloud gave us a machine. */
export interface Machine {
  readonly instanceId: InstanceId;
  readonly instanceType: string | null;
  readonly capacityType: CapacityType;
  readonly launchedAt: IsoTime;
  readonly registration: { readonly runnerName: string; readonly githubRunnerId: number | null } | null;
  readonly online: boolean;
  readonly jobsRun: number;
  /** The last job it finished, so a late or repeated delivery about that job changes nothing. */
  readonly lastFinishedJobId: JobId | null;
  readonly interrupted: boolean;
}

export type RunnerState =
  | { readonly status: 'none' }
  | (RunnerBase & {
      readonly status: 'requested';
      readonly lastFailure: { readonly reason: LaunchFailureReason; readonly detail: string } | null;
    })
  | (RunnerBase & {
      readonly status: 'launching';
      readonly attempt: number;
      readonly capacityType: CapacityType;
      readonly launchStartedAt: IsoTime;
    })
  | (RunnerBase & { readonly status: 'launched'; readonly machine: Machine })
  | (RunnerBase & { readonly status: 'idle'; readonly machine: Machine; readonly idleSince: IsoTime })
  | (RunnerBase & {
      readonly status: 'busy';
      readonly machine: Machine;
      readonly currentJobId: JobId | null;
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
  return {
    runnerId,
    poolId,
    requestedForJobId,
    ephemeral,
    compute,
    requestedAt,
    launchAttempts,
    secretSuffix,
  };
}

/** Where this runner's secret lives (the name recorded when it was requested). */
export function secretRefOf(state: KnownRunnerState): RunnerSecretRef {
  return { runnerId: state.runnerId, suffix: state.secretSuffix };
}
