import type { RecordedCall } from '../shared/calls';
import type { Faults } from '../shared/faults';

/** ECS task `lastStatus` values the emulator moves through (Fargate's life cycle). */
export type EcsTaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';
export type FargateProvider = 'FARGATE' | 'FARGATE_SPOT';

/** Request params as the SDK sent them (JSON). */
export type EcsParams = Readonly<Record<string, unknown>>;

export interface EcsTask {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly lastStatus: EcsTaskStatus;
  readonly desiredStatus: 'RUNNING' | 'STOPPED';
  readonly launchType: 'FARGATE';
  readonly capacityProviderName: FargateProvider;
  readonly startedBy: string | null;
  readonly group: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: 'ENABLED' | 'DISABLED';
  /** Container name → environment from `overrides.containerOverrides`. */
  readonly environment: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly containers: readonly string[];
  readonly createdAt: Date;
  readonly stoppedReason: string | null;
  readonly stopCode: string | null;
}

/** Emitted for every `lastStatus` change (the harness turns them into "ECS Task State Change"). */
export interface EcsStateChange {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly previousStatus: EcsTaskStatus | null;
  readonly lastStatus: EcsTaskStatus;
  readonly desiredStatus: 'RUNNING' | 'STOPPED';
  readonly cause: 'run' | 'api' | 'advance' | 'manual' | 'spot-interruption';
  readonly at: Date;
}

export interface EcsEmulatorOptions {
  /** Clusters that exist from the start (default `['default']`). */
  readonly clusters?: readonly string[];
  readonly clock?: () => Date;
  /** When true (default), each DescribeTasks first moves every task one status forward. */
  readonly advanceOnDescribe?: boolean;
}

export interface EcsEmulatorHandle {
  readonly endpoint: string;
  close(): Promise<void>;
  calls(): RecordedCall<EcsParams>[];
  resetCalls(): void;
  readonly faults: Faults;
  createCluster(name: string): string;
  /** Registers the next revision of `family`; returns its ARN. */
  registerTaskDefinition(family: string, options?: { containers?: readonly string[] }): string;
  /**
   * How many more tasks may start (per capacity provider, or both when omitted). When none
   * are left RunTask answers a `failures` entry with `reason` (default Fargate's
   * "Capacity is unavailable at this time…").
   */
  setCapacity(
    available: number | 'unlimited',
    options?: { provider?: FargateProvider; reason?: string },
  ): void;
  tasks(): EcsTask[];
  setTaskStatus(
    taskArn: string,
    status: EcsTaskStatus,
    options?: { stoppedReason?: string; stopCode?: string },
  ): void;
  /** Moves every task one status forward (PROVISIONING→PENDING→RUNNING, DEPROVISIONING→STOPPED). */
  advance(): void;
  onStateChange(listener: (change: EcsStateChange) => void): () => void;
  readonly internalErrors: readonly unknown[];
}
