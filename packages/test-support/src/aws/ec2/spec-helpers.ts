import { EC2Client, type _InstanceType, type CreateFleetCommandInput } from '@aws-sdk/client-ec2';

/** A real SDK client aimed at the emulator (no retries, so faults surface on the first call). */
export const ec2ClientFor = (endpoint: string, maxAttempts = 1): EC2Client =>
  new EC2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
  });

/** A one-instance instant fleet over the given subnet/type overrides. */
export function fleetInput(
  overrides: { SubnetId: string; InstanceType: string; Priority?: number; MaxPrice?: string }[],
  market: 'spot' | 'on-demand',
  extra: Partial<CreateFleetCommandInput> = {},
): CreateFleetCommandInput {
  return {
    Type: 'instant',
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: 'runner', Version: '$Default' },
        Overrides: overrides.map((o) => ({ ...o, InstanceType: o.InstanceType as _InstanceType })),
      },
    ],
    TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: market },
    SpotOptions: { AllocationStrategy: 'capacity-optimized-prioritized' },
    OnDemandOptions: { AllocationStrategy: 'prioritized' },
    TagSpecifications: [
      { ResourceType: 'instance', Tags: [{ Key: 'hangar:runner-id', Value: 'r-1' }] },
      { ResourceType: 'volume', Tags: [{ Key: 'hangar:runner-id', Value: 'r-1' }] },
    ],
    ...extra,
  };
}
