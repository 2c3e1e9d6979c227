import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateFleetCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startEc2Emulator } from './ec2-emulator';
import { ec2ClientFor, fleetInput } from './spec-helpers';
import type { Ec2EmulatorHandle } from './types';

describe('EC2 emulator CreateFleet validation, as the EC2 API reference describes it', () => {
  let ec2: Ec2EmulatorHandle;
  let client: EC2Client;
  beforeEach(async () => {
    ec2 = await startEc2Emulator({ subnets: { 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' } });
    ec2.addLaunchTemplate({ name: 'runner', imageId: 'ami-0123456789abcdef0' });
    client = ec2ClientFor(ec2.endpoint);
  });
  afterEach(async () => {
    client.destroy();
    await ec2.close();
    expect(ec2.internalErrors).toEqual([]);
  });

  it('reports an override in a subnet the account does not have as InvalidSubnetID.NotFound', async () => {
    const out = await client.send(
      new CreateFleetCommand(
        fleetInput([{ SubnetId: 'subnet-0123456789abcdef0', InstanceType: 'm5.large' }], 'on-demand'),
      ),
    );
    expect(out.Instances ?? []).toEqual([]);
    expect(out.Errors?.map((e) => [e.ErrorCode, e.ErrorMessage])).toEqual([
      ['InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist"],
    ]);
    expect(ec2.instances()).toEqual([]);
  });

  it('launches into a known subnet beside an unknown one and reports only the unknown one', async () => {
    const out = await client.send(
      new CreateFleetCommand(
        fleetInput(
          [
            { SubnetId: 'subnet-gone', InstanceType: 'm5.large', Priority: 0 },
            { SubnetId: 'subnet-b', InstanceType: 'm5.large', Priority: 1 },
          ],
          'on-demand',
        ),
      ),
    );
    expect(out.Instances?.[0]?.LaunchTemplateAndOverrides?.Overrides?.SubnetId).toBe('subnet-b');
    expect(out.Errors?.map((e) => e.ErrorCode)).toEqual(['InvalidSubnetID.NotFound']);
  });

  it('launches into a subnet added later, with its zone', async () => {
    ec2.addSubnet('subnet-c', 'us-east-1c');
    await client.send(
      new CreateFleetCommand(fleetInput([{ SubnetId: 'subnet-c', InstanceType: 'm5.large' }], 'spot')),
    );
    expect(ec2.instances()[0]?.availabilityZone).toBe('us-east-1c');
  });

  it('refuses two subnets of one zone for the same type as InvalidFleetConfig (duplicate instance pools)', async () => {
    ec2.addSubnet('subnet-a2', 'us-east-1a');
    const input = fleetInput(
      [
        { SubnetId: 'subnet-a', InstanceType: 'm5.large' },
        { SubnetId: 'subnet-a2', InstanceType: 'm5.large' },
      ],
      'spot',
    );
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'InvalidFleetConfig',
      message: 'The fleet configuration contains duplicate instance pools.',
    });
    expect(ec2.instances()).toEqual([]);
  });

  it('refuses more than 50 tags on a resource with TagLimitExceeded', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'spot', {
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
    });
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'TagLimitExceeded',
    });
    expect(ec2.instances()).toEqual([]);
  });

  it('refuses more than 50 launch template configs with InvalidParameterValue', async () => {
    const config = {
      LaunchTemplateSpecification: { LaunchTemplateName: 'runner', Version: '$Default' },
      Overrides: [{ SubnetId: 'subnet-a', InstanceType: 'm5.large' as const }],
    };
    const input = fleetInput([], 'spot', { LaunchTemplateConfigs: Array.from({ length: 51 }, () => config) });
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});
