import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateFleetCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startEc2Emulator } from './ec2-emulator';
import { ec2ClientFor, fleetInput } from './spec-helpers';
import type { Ec2EmulatorHandle } from './types';

describe('EC2 emulator CreateFleet (instant) through the real SDK', () => {
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

  it('launches one tagged pending instance and reports it in FleetInstanceSet', async () => {
    const out = await client.send(
      new CreateFleetCommand(fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'on-demand')),
    );
    expect(out.Errors ?? []).toEqual([]);
    expect(out.FleetId).toMatch(/^fleet-/);
    expect(out.Instances).toHaveLength(1);
    const launched = out.Instances?.[0];
    expect(launched?.Lifecycle).toBe('on-demand');
    expect(launched?.InstanceType).toBe('m5.large');
    expect(launched?.LaunchTemplateAndOverrides?.Overrides?.SubnetId).toBe('subnet-a');
    const [instance] = ec2.instances();
    expect(launched?.InstanceIds).toEqual([instance?.instanceId]);
    expect(instance).toMatchObject({
      state: 'pending',
      availabilityZone: 'us-east-1a',
      imageId: 'ami-0123456789abcdef0',
      tags: { 'hangar:runner-id': 'r-1', 'aws:ec2:fleet-id': out.FleetId },
      volumeTags: { 'hangar:runner-id': 'r-1' },
    });
  });

  it('replays the first response for a repeated ClientToken without launching again', async () => {
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'spot', {
      ClientToken: 'tok-1',
    });
    const first = await client.send(new CreateFleetCommand(input));
    const again = await Promise.all([1, 2, 3].map(() => client.send(new CreateFleetCommand(input))));
    for (const out of again) {
      expect(out.FleetId).toBe(first.FleetId);
      expect(out.Instances?.[0]?.InstanceIds).toEqual(first.Instances?.[0]?.InstanceIds);
    }
    expect(ec2.instances()).toHaveLength(1);
  });

  it('rejects a reused ClientToken with different parameters as IdempotentParameterMismatch', async () => {
    await client.send(
      new CreateFleetCommand(
        fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'spot', { ClientToken: 't' }),
      ),
    );
    const other = fleetInput([{ SubnetId: 'subnet-b', InstanceType: 'm5.large' }], 'spot', {
      ClientToken: 't',
    });
    await expect(client.send(new CreateFleetCommand(other))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatch',
    });
  });

  it('tries overrides in Priority order under on-demand prioritized and reports those without capacity', async () => {
    ec2.setCapacity({ market: 'on-demand', instanceType: 'c5.large', available: 0 });
    const out = await client.send(
      new CreateFleetCommand(
        fleetInput(
          [
            { SubnetId: 'subnet-a', InstanceType: 'm5.large', Priority: 2 },
            { SubnetId: 'subnet-a', InstanceType: 'c5.large', Priority: 0 },
            { SubnetId: 'subnet-b', InstanceType: 'c5.large', Priority: 1 },
          ],
          'on-demand',
        ),
      ),
    );
    expect(out.Instances?.[0]?.InstanceType).toBe('m5.large');
    expect(out.Errors?.map((e) => [e.ErrorCode, e.LaunchTemplateAndOverrides?.Overrides?.SubnetId])).toEqual([
      ['InsufficientInstanceCapacity', 'subnet-a'],
      ['InsufficientInstanceCapacity', 'subnet-b'],
    ]);
    expect(out.Errors?.[0]?.Lifecycle).toBe('on-demand');
  });

  it('returns only errors when no override can launch, with the configured capacity error code', async () => {
    ec2.setCapacity({ market: 'on-demand', available: 0, errorCode: 'UnfulfillableCapacity' });
    const out = await client.send(
      new CreateFleetCommand(fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'on-demand')),
    );
    expect(out.Instances ?? []).toEqual([]);
    expect(out.Errors?.map((e) => e.ErrorCode)).toEqual(['UnfulfillableCapacity']);
    expect(ec2.instances()).toEqual([]);
  });

  it('consumes a finite capacity rule: the second launch of that type fails', async () => {
    ec2.setCapacity({ market: 'spot', instanceType: 'm5.large', available: 1 });
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'spot');
    expect((await client.send(new CreateFleetCommand(input))).Instances).toHaveLength(1);
    const second = await client.send(new CreateFleetCommand(input));
    expect(second.Errors?.[0]?.ErrorCode).toBe('InsufficientInstanceCapacity');
  });

  it('refuses a spot override whose MaxPrice is below the spot price with SpotMaxPriceTooLow', async () => {
    ec2.setSpotPrice('m5.large', '0.0500');
    const out = await client.send(
      new CreateFleetCommand(
        fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large', MaxPrice: '0.01' }], 'spot'),
      ),
    );
    expect(out.Errors?.[0]?.ErrorCode).toBe('SpotMaxPriceTooLow');
    expect(out.Instances ?? []).toEqual([]);
  });

  it('reports an unknown launch template per override as InvalidLaunchTemplateName.NotFoundException', async () => {
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'on-demand', {
      LaunchTemplateConfigs: [
        {
          LaunchTemplateSpecification: { LaunchTemplateName: 'nope', Version: '$Default' },
          Overrides: [{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }],
        },
      ],
    });
    const out = await client.send(new CreateFleetCommand(input));
    expect(out.Errors?.[0]?.ErrorCode).toBe('InvalidLaunchTemplateName.NotFoundException');
  });

  it('launches spot instances whose DescribeInstances lifecycle is spot and which run after time advances', async () => {
    await client.send(
      new CreateFleetCommand(fleetInput([{ SubnetId: 'subnet-b', InstanceType: 'm5.large' }], 'spot')),
    );
    const described = await client.send(new DescribeInstancesCommand({}));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    expect(instance?.InstanceLifecycle).toBe('spot');
    expect(instance?.State).toEqual({ Code: 16, Name: 'running' });
    expect(instance?.Placement?.AvailabilityZone).toBe('us-east-1b');
    expect(instance?.LaunchTime).toBeInstanceOf(Date);
  });

  it('rejects a maintain-type fleet, which the emulator does not model', async () => {
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'spot', {
      Type: 'maintain',
    });
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});
