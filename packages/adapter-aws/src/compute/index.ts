// Compute adapters: EC2 instant fleets and ECS Fargate tasks behind core's ComputeProvider port.
export { Ec2FleetComputeProvider, type Ec2FleetComputeProviderOptions } from './ec2-fleet-compute-provider';
export { FargateComputeProvider, type FargateComputeProviderOptions } from './fargate-compute-provider';
export type { Ec2PoolSettings, FargatePoolSettings, SpotAllocationStrategy } from './pool-settings';
export { clientTokenFor, COMPUTE_CLIENT_RETRY } from './client-token';
