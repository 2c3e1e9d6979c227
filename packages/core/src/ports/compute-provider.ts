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

/** A launch outcome: success or a classified failure, as a value (never an exception). */
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
    };

/**
 * Starts and stops runner machines on one compute target.
 *
 * Contract (checked by `computeProviderContract` in core's testing entry):
 * - `launch` with an idempotency key already used returns the machine that key created;
 * - capacity, throttling, quota and configuration problems are `failed` results with a
 *   reason and `retryable`; only programming errors throw;
 * - `terminate` of a machine already gone succeeds (idempotent);
 * - `list` returns every live machine tagged as Hangar's, with its runner and pool ids.
 */
export interface ComputeProvider {
  readonly kind: ComputeKind;
  launch(request: LaunchRequest): Promise<LaunchResult>;
  terminate(instanceId: InstanceId): Promise<void>;
  list(): Promise<readonly ComputeInstanceView[]>;
}
