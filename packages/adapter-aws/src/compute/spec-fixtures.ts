import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { PoolId } from '@hangar/core';
import { startEc2Emulator, type Ec2EmulatorHandle } from '@hangar/test-support/aws/ec2';
import { startEcsEmulator, type EcsEmulatorHandle } from '@hangar/test-support/aws/ecs';
import { COMPUTE_CLIENT_RETRY } from './client-token';
import { Ec2FleetComputeProvider, type Ec2FleetComputeProviderOptions } from './ec2-fleet-compute-provider';
import { FargateComputeProvider } from './fargate-compute-provider';
import type { Ec2PoolSettings, FargatePoolSettings } from './pool-settings';

export const POOL = PoolId('linux-x64');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export const ec2Pool = (overrides: Partial<Ec2PoolSettings> = {}): Ec2PoolSettings => ({
  launchTemplateName: 'hangar-linux-x64',
  subnetIds: ['subnet-a', 'subnet-b'],
  instanceTypes: ['m5.large', 'c5.large'],
  allocationStrategy: 'price-capacity-optimized',
  ...overrides,
});

/** The EC2 adapter over a fresh emulator, with the SDK's bounded retries. */
export async function ec2Fixture(
  pool: Ec2PoolSettings = ec2Pool(),
  options: Partial<Ec2FleetComputeProviderOptions> = {},
): Promise<{
  ec2: Ec2EmulatorHandle;
  provider: Ec2FleetComputeProvider;
  /** Another deployment's provider over the same emulator (the same account). */
  anotherDeployment: Ec2FleetComputeProvider;
  close(): Promise<void>;
}> {
  const ec2 = await startEc2Emulator({ subnets: { 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' } });
  ec2.addLaunchTemplate({ name: 'hangar-linux-x64', imageId: 'ami-0123456789abcdef0' });
  const client = new EC2Client({
    endpoint: ec2.endpoint,
    region: 'us-east-1',
    credentials,
    ...COMPUTE_CLIENT_RETRY,
  });
  const pools = new Map([[POOL, pool]]);
  const provider = new Ec2FleetComputeProvider({ client, pools, deployment: 'hangar-test', ...options });
  return {
    ec2,
    provider,
    anotherDeployment: new Ec2FleetComputeProvider({ client, pools, deployment: 'hangar-other' }),
    close: async () => {
      client.destroy();
      await ec2.close();
    },
  };
}

export const fargatePool = (overrides: Partial<FargatePoolSettings> = {}): FargatePoolSettings => ({
  cluster: 'runners',
  taskDefinition: 'hangar-runner',
  containerName: 'runner',
  subnetIds: ['subnet-a'],
  securityGroupIds: ['sg-1'],
  assignPublicIp: false,
  ...overrides,
});

/** The Fargate adapter over a fresh emulator. */
export async function fargateFixture(pool: FargatePoolSettings = fargatePool()): Promise<{
  ecs: EcsEmulatorHandle;
  provider: FargateComputeProvider;
  /** Another deployment's provider over the same emulator (the same cluster). */
  anotherDeployment: FargateComputeProvider;
  close(): Promise<void>;
}> {
  const ecs = await startEcsEmulator({ clusters: ['runners'] });
  ecs.registerTaskDefinition('hangar-runner', { containers: ['runner'] });
  const client = new ECSClient({
    endpoint: ecs.endpoint,
    region: 'us-east-1',
    credentials,
    ...COMPUTE_CLIENT_RETRY,
  });
  const pools = new Map([[POOL, pool]]);
  const provider = new FargateComputeProvider({ client, pools, deployment: 'hangar-test' });
  return {
    ecs,
    provider,
    anotherDeployment: new FargateComputeProvider({ client, pools, deployment: 'hangar-other' }),
    close: async () => {
      client.destroy();
      await ecs.close();
    },
  };
}
