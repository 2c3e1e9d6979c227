import type { ComputeKind } from '../config/pool-config';
import type { InstanceId, PoolId, RunnerId } from '../shared/brand';
import type { ComputeInstanceView } from '../scaling/views';
import type { CapacityType, LaunchFailureReason, LaunchPlacementError } from '../runner/runner.events';

export interface LaunchRequest {
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  /**
   * Derived from the runner id and launch attempt. The same key never creates a second
   * machine (EC2 ClientToken, ECS clientToken), so a retried or resumed launch is safe.
   */
  readonly idempotencyKey: string;
  readonly capacityType: CapacityType;
  /** Where the machine finds its JIT config (secret store path). */
  readonly secretPath: string;
  /** Organisation/user name; written as the `hangar:owner` tag. */
  readonly owner: string;
}

/**
 * A launch outcome as a value (never an exception): a machine; a definite failure (the cloud
 * answered, and started nothing for this key); or an unknown outcome (the call failed in a way
 * that does not tell whether a machine was started: throttled, 5xx, timeout, dropped connection).
 */
export type LaunchResult =
  | {
      readonly outcome: 'launched';
      readonly instanceId: InstanceId;
      readonly instanceType: string | null;
      readonly capacityType: CapacityType;
    }
  | {
      readonly outcome: 'failed';
      readonly reason: LaunchFailureReason;
      readonly retryable: boolean;
      /** Raw cloud error codes (e.g. `InsufficientInstanceCapacity`) for failover decisions. */
      readonly errorCodes: readonly string[];
      readonly detail: string;
      /** Where each error was reported (EC2 names the override it tried); absent when unknown. */
      readonly placements?: readonly LaunchPlacementError[];
    }
  | {
      readonly outcome: 'unknown';
      readonly reason: LaunchFailureReason;
      readonly errorCodes: readonly string[];
      readonly detail: string;
    };

/** A machine found by its launch key, in whatever state it is now. */
export interface LaunchedMachine {
  readonly instanceId: InstanceId;
  readonly instanceType: string | null;
  readonly capacityType: CapacityType;
  readonly state: ComputeInstanceView['state'];
}

/** A machine this deployment launched, described by its id, with what its launch tagged it with. */
export interface DescribedMachine extends LaunchedMachine {
  /** The `hangar:runner-id`, `hangar:pool-id` and `hangar:launch-key` tags. */
  readonly runnerId: RunnerId;
  readonly poolId: PoolId;
  readonly launchKey: string;
  /**
   * The cloud ended this machine to reclaim its spot capacity: EC2's `StateReason.Code`
   * `Server.SpotInstanceTermination`, ECS's `stopCode` `SpotInterruption`. EC2 keeps listing a
   * terminated instance for about an hour, so the reason outlives a lost interruption warning.
   */
  readonly spotReclaimed: boolean;
}

/**
 * Starts and stops runner machines on one compute target.
 *
 * Contract (checked by `computeProviderContract` in core's testing entry):
 * - `launch` with an idempotency key already used returns the machine that key created;
 * - a `failed` result means the cloud started nothing for this key (capacity, quota,
 *   configuration); a call whose effect cannot be told (throttled, 5xx, timeout, dropped
 *   connection) is `unknown`, never `failed`; only programming errors throw;
 * - `findByLaunchKey` returns the machine a launch with that key started (in any state, while
 *   the cloud still lists it), or null; a launch accepted a moment ago may not be listed yet
 *   (EC2 and ECS listings are eventually consistent); failures throw `DependencyError`;
 * - `findByInstanceId` describes one machine by its id with its runner, pool and launch key,
 *   or null when this deployment did not launch it (another deployment's, untagged, not an id
 *   of this compute target) or the cloud no longer lists it; a machine that has ended is still
 *   described while the cloud lists it, saying whether a spot reclaim ended it
 *   (`spotReclaimed`); failures throw `DependencyError`;
 * - `terminate` of a machine already gone succeeds (idempotent);
 * - `list` returns every live machine tagged as Hangar's, with its runner and pool ids.
 */
export interface ComputeProvider {
  readonly kind: ComputeKind;
  launch(request: LaunchRequest): Promise<LaunchResult>;
  findByLaunchKey(poolId: PoolId, idempotencyKey: string): Promise<LaunchedMachine | null>;
  findByInstanceId(instanceId: InstanceId): Promise<DescribedMachine | null>;
  terminate(instanceId: InstanceId): Promise<void>;
  list(): Promise<readonly ComputeInstanceView[]>;
}
