import type { RecordedCall } from '../shared/calls';
import type { Faults } from '../shared/faults';
import type { QueryObject } from './query';

export type Ec2InstanceState =
  'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
export type Ec2Market = 'spot' | 'on-demand';

/** EC2's numeric state codes (low byte of `InstanceState.Code`). */
export const STATE_CODES: Readonly<Record<Ec2InstanceState, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** One instance the emulator holds. Copies are handed out; the emulator owns the original. */
export interface Ec2Instance {
  readonly instanceId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly lifecycle: Ec2Market;
  readonly state: Ec2InstanceState;
  readonly stateReason: string | null;
  readonly launchTime: Date;
  readonly tags: Readonly<Record<string, string>>;
  readonly volumeTags: Readonly<Record<string, string>>;
  readonly clientToken: string | null;
  readonly launchTemplateId: string;
  readonly reservationId: string;
  readonly spotMaxPrice: string | null;
}

export interface Ec2LaunchTemplate {
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  readonly imageId: string | null;
  readonly instanceType: string | null;
  readonly createTime: Date;
}

/**
 * How many instances of a market may still launch. Unset fields match everything; the most
 * specific matching rule wins (ties: the latest). Without any rule capacity is unlimited.
 */
export interface CapacityRule {
  readonly instanceType?: string;
  readonly subnetId?: string;
  readonly market: Ec2Market;
  readonly available: number | 'unlimited';
  /** Code reported when the rule has no capacity left (default `InsufficientInstanceCapacity`). */
  readonly errorCode?: string;
}

/** Emitted for every state change, so a harness can turn them into EventBridge-like events. */
export interface Ec2StateChange {
  readonly instanceId: string;
  readonly previousState: Ec2InstanceState | null;
  readonly state: Ec2InstanceState;
  readonly cause: 'launch' | 'api' | 'spot-interruption' | 'advance' | 'manual';
  readonly at: Date;
}

export interface Ec2EmulatorOptions {
  /**
   * The account's subnets: subnet → availability zone. No others exist: an override naming
   * another subnet fails with `InvalidSubnetID.NotFound`, as in EC2. Add more with `addSubnet`.
   */
  readonly subnets?: Readonly<Record<string, string>>;
  /**
   * Spot price per instance type (default `0.0300`): compared with an override's `MaxPrice`,
   * and the order of spot `lowest-price` / `price-capacity-optimized`.
   */
  readonly spotPrices?: Readonly<Record<string, string>>;
  /** On-demand price per instance type (default `0.1000`): the order of on-demand `lowest-price`. */
  readonly onDemandPrices?: Readonly<Record<string, string>>;
  /**
   * Seeds the choice between pools a strategy rates equal (default `hangar`): a hash of seed,
   * instance type and subnet, so runs repeat but request order never decides (allocation.ts).
   */
  readonly allocationSeed?: string;
  /** Defaults to the wall clock; pass a fixed clock for deterministic launch times. */
  readonly clock?: () => Date;
  /**
   * When true (default), each DescribeInstances first moves `pending` → `running` and
   * `shutting-down` → `terminated`, standing in for the passage of time.
   */
  readonly advanceOnDescribe?: boolean;
}

export interface Ec2EmulatorHandle {
  readonly endpoint: string;
  close(): Promise<void>;
  calls(): RecordedCall<QueryObject>[];
  resetCalls(): void;
  readonly faults: Faults;
  addLaunchTemplate(template: { name: string; imageId?: string; instanceType?: string }): Ec2LaunchTemplate;
  setCapacity(rule: CapacityRule): void;
  /** Adds a subnet to the account (as Terraform would create it). */
  addSubnet(subnetId: string, zone: string): void;
  setSpotPrice(instanceType: string, price: string): void;
  setOnDemandPrice(instanceType: string, price: string): void;
  /** Starts the two-minute interruption of a spot instance: it goes to `shutting-down`. */
  interruptSpot(instanceId: string): void;
  setState(instanceId: string, state: Ec2InstanceState): void;
  /** Moves every `pending` to `running` and `shutting-down` to `terminated`. */
  advance(): void;
  instances(): Ec2Instance[];
  onStateChange(listener: (change: Ec2StateChange) => void): () => void;
  /** Requests that hit an emulator bug (answered 500); specs assert it stays empty. */
  readonly internalErrors: readonly unknown[];
}
