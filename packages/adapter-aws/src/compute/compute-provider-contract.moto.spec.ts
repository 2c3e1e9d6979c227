import { expect, it } from '@jest/globals';
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { PoolId, RunnerId } from '@hangar/core';
import {
  computeProviderContract,
  type ComputeProviderContractSubject,
} from '@hangar/core/testing/compute-provider-contract';
import { describeWithMoto, motoEndpoint, setMotoTransition } from '@hangar/test-support/aws/moto';
import { Ec2FleetComputeProvider } from './ec2-fleet-compute-provider';
import { FargateComputeProvider } from './fargate-compute-provider';

// The same ComputeProvider contract as compute-provider-contract.spec.ts, against moto: an EC2
// and ECS emulator written by others, so a belief about AWS that is wrong in both our adapter
// and our emulator shows up here. moto has no ClientToken and no capacity model (see
// docs/testing.md); those cases stay with the home-made emulators.

const POOL = PoolId('moto-pool');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
const CLIENT_TOKEN = 'moto ignores ClientToken/clientToken and starts another machine';
const NO_CAPACITY = 'moto has no capacity model; the home-made emulator carries this case';
const NO_FAULTS =
  'moto cannot accept a call and lose its answer (no fault injection); the home-made emulator carries this case';
let n = 0;

interface MotoAccount {
  readonly imageId: string | undefined;
  readonly vpcId: string;
  /** Two default-VPC subnets in different zones (CreateFleet refuses two of one zone). */
  readonly subnetIds: string[];
}

let account: Promise<MotoAccount> | undefined;

/** What every subject needs from moto's default account, read once per file (DescribeImages is slow). */
function motoAccount(): Promise<MotoAccount> {
  account ??= (async () => {
    const client = new EC2Client({ endpoint: motoEndpoint(), region, credentials, maxAttempts: 1 });
    const { Images = [] } = await client.send(
      new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }),
    );
    const { Subnets = [] } = await client.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
    );
    const byZone = new Map(Subnets.map((s) => [s.AvailabilityZone, s]));
    const chosen = [...byZone.values()].slice(0, 2);
    const vpcId = chosen[0]?.VpcId ?? '';
    // moto's RunTask fails (HTTP 500) in a VPC without DNS hostnames; a task stays RUNNING
    // until stopped, as in ECS, instead of moto's default of one status per DescribeTasks.
    await client.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    await setMotoTransition(motoEndpoint(), 'ecs::task', { progression: 'manual', times: 1_000_000 });
    client.destroy();
    return { imageId: Images[0]?.ImageId, vpcId, subnetIds: chosen.map((s) => s.SubnetId ?? '') };
  })();
  return account;
}

async function ec2Subject(): Promise<ComputeProviderContractSubject> {
  n += 1;
  const { imageId, subnetIds } = await motoAccount();
  const client = new EC2Client({ endpoint: motoEndpoint(), region, credentials, maxAttempts: 1 });
  const launchTemplateName = `hangar-contract-${n}`;
  await client.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: launchTemplateName,
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  const pool = {
    launchTemplateName,
    subnetIds,
    instanceTypes: ['m5.large', 'c5.large'],
    allocationStrategy: 'price-capacity-optimized' as const,
  };
  return {
    provider: new Ec2FleetComputeProvider({
      client,
      deployment: 'hangar-test',
      pools: new Map([[POOL, pool]]),
    }),
    anotherDeployment: new Ec2FleetComputeProvider({
      client,
      deployment: 'hangar-other',
      pools: new Map([[POOL, pool]]),
    }),
    poolId: POOL,
    close: async () => client.destroy(),
    makeCapacityUnavailable: () => {
      throw new Error(NO_CAPACITY);
    },
    acceptNextLaunchThenThrottle: () => {
      throw new Error(NO_FAULTS);
    },
  };
}

async function fargateSubject(): Promise<ComputeProviderContractSubject> {
  n += 1;
  const { subnetIds } = await motoAccount();
  const client = new ECSClient({ endpoint: motoEndpoint(), region, credentials, maxAttempts: 1 });
  const cluster = `hangar-contract-${n}`;
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  // Container-level memory and launchType FARGATE: moto answers 500 for task-level memory
  // only and for any capacityProviderStrategy.
  await client.send(
    new RegisterTaskDefinitionCommand({
      family: 'hangar-runner',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '1024',
      memory: '2048',
      containerDefinitions: [{ name: 'runner', image: 'ghcr.io/actions/actions-runner', memory: 2048 }],
    }),
  );
  const pool = {
    cluster,
    taskDefinition: 'hangar-runner',
    containerName: 'runner',
    subnetIds,
    securityGroupIds: [],
    assignPublicIp: false,
  };
  return {
    provider: new FargateComputeProvider({
      client,
      deployment: 'hangar-test',
      pools: new Map([[POOL, pool]]),
    }),
    anotherDeployment: new FargateComputeProvider({
      client,
      deployment: 'hangar-other',
      pools: new Map([[POOL, pool]]),
    }),
    poolId: POOL,
    close: async () => client.destroy(),
    makeCapacityUnavailable: () => {
      throw new Error(NO_CAPACITY);
    },
    acceptNextLaunchThenThrottle: () => {
      throw new Error(NO_FAULTS);
    },
  };
}

const notModelled = {
  'repeated-key': CLIENT_TOKEN,
  'parallel-key': CLIENT_TOKEN,
  'no-capacity': NO_CAPACITY,
  'lost-answer': NO_FAULTS,
  'spot-reclaimed': 'moto cannot reclaim a spot instance or a Fargate Spot task (no interruption model)',
};

describeWithMoto('compute providers', () => {
  computeProviderContract('Ec2FleetComputeProvider against moto EC2', ec2Subject, { notModelled });
  computeProviderContract('FargateComputeProvider against moto ECS', fargateSubject, { notModelled });
});

describeWithMoto('Ec2FleetComputeProvider with a misconfigured pool', () => {
  const request = {
    runnerId: RunnerId('moto-misconfigured'),
    poolId: POOL,
    idempotencyKey: 'moto-misconfigured#1',
    capacityType: 'on-demand' as const,
    secretPath: '/hangar/runners/moto-misconfigured',
    owner: 'octo-org',
  };
  const providerWith = async (subnetIds: string[]) => {
    const { imageId } = await motoAccount();
    n += 1;
    const client = new EC2Client({ endpoint: motoEndpoint(), region, credentials, maxAttempts: 1 });
    await client.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: `hangar-bad-${n}`,
        LaunchTemplateData: { ImageId: imageId },
      }),
    );
    const pool = {
      launchTemplateName: `hangar-bad-${n}`,
      subnetIds,
      instanceTypes: ['m5.large'],
      allocationStrategy: 'price-capacity-optimized' as const,
    };
    return {
      client,
      provider: new Ec2FleetComputeProvider({
        client,
        deployment: 'hangar-test',
        pools: new Map([[POOL, pool]]),
      }),
    };
  };

  // moto refuses the whole CreateFleet call (an SDK error) where our emulator reports the
  // override in the fleet's errors; the adapter must read both as the same configuration
  // error. (moto launches two subnets of one zone, which EC2 refuses: the emulator carries it.)
  it('reports subnets that do not exist as a non-retryable invalid-configuration', async () => {
    const { client, provider } = await providerWith(['subnet-0deadbeef0000000a']);
    expect(await provider.launch(request)).toMatchObject({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['InvalidSubnetID.NotFound'],
    });
    client.destroy();
  });
});
