/** Spot allocation strategies CreateFleet accepts. */
export type SpotAllocationStrategy =
  | 'lowest-price'
  | 'diversified'
  | 'capacity-optimized'
  | 'capacity-optimized-prioritized'
  | 'price-capacity-optimized';

/** How one pool launches on EC2 (produced by the runtime's configuration parser). */
export interface Ec2PoolSettings {
  readonly launchTemplateName: string;
  readonly subnetIds: readonly string[];
  /**
   * Each type's position is sent as its CreateFleet override `Priority`; EC2 follows it only
   * under spot `capacity-optimized-prioritized` and on-demand `prioritized`, otherwise it
   * chooses by capacity and/or price.
   */
  readonly instanceTypes: readonly string[];
  readonly allocationStrategy: SpotAllocationStrategy;
  /** Unset = `prioritized` here; the runtime's pools schema always sets it (default `lowest-price`). */
  readonly onDemandAllocationStrategy?: 'lowest-price' | 'prioritized';
  /** Highest spot price per hour, e.g. `0.05`; unset = the on-demand price. */
  readonly spotMaxPrice?: string;
  /** Fixed AMI; wins over `imageIdSsmParameter`. Neither = the launch template's AMI. */
  readonly imageId?: string;
  /** SSM parameter holding the AMI id, resolved at each launch through `resolveImageId`. */
  readonly imageIdSsmParameter?: string;
  readonly extraTags?: Readonly<Record<string, string>>;
}

/** How one pool launches on Fargate. */
export interface FargatePoolSettings {
  readonly cluster: string;
  readonly taskDefinition: string;
  /** The runner container, which receives `HANGAR_RUNNER_ID` and `HANGAR_SECRET_PATH`. */
  readonly containerName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly assignPublicIp: boolean;
  /** Unset = `launchType: FARGATE`. */
  readonly capacityProvider?: 'FARGATE' | 'FARGATE_SPOT';
  readonly extraTags?: Readonly<Record<string, string>>;
}
