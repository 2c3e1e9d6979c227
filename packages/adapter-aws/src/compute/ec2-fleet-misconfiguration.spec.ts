import { afterEach, describe, expect, it } from '@jest/globals';
import { RunnerId, type LaunchRequest } from '@hangar/core';
import { POOL, ec2Fixture, ec2Pool } from './spec-fixtures';

const request: LaunchRequest = {
  runnerId: RunnerId('r-9'),
  poolId: POOL,
  idempotencyKey: 'r-9#1',
  capacityType: 'on-demand',
  secretPath: '/hangar/runners/r-9',
  owner: 'octo-org',
};

type Fixture = Awaited<ReturnType<typeof ec2Fixture>>;

/** Pools configured against an account that does not match them, as EC2 answers them. */
describe('Ec2FleetComputeProvider with a misconfigured pool', () => {
  let fx: Fixture | undefined;
  afterEach(async () => {
    await fx?.close();
    expect(fx?.ec2.internalErrors).toEqual([]);
    fx = undefined;
  });

  it('reports subnets that do not exist as a non-retryable invalid-configuration naming them', async () => {
    fx = await ec2Fixture(ec2Pool({ subnetIds: ['subnet-0deadbeef0000000a'], instanceTypes: ['m5.large'] }));
    const result = await fx.provider.launch(request);
    expect(result).toMatchObject({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['InvalidSubnetID.NotFound'],
    });
    expect(result.outcome === 'failed' && result.detail).toContain('subnet-0deadbeef0000000a');
    expect(fx.ec2.instances()).toEqual([]);
  });

  it('launches in the subnets that exist when only some do', async () => {
    fx = await ec2Fixture(ec2Pool({ subnetIds: ['subnet-gone', 'subnet-b'], instanceTypes: ['m5.large'] }));
    expect(await fx.provider.launch(request)).toMatchObject({ outcome: 'launched' });
    expect(fx.ec2.instances()[0]?.subnetId).toBe('subnet-b');
  });

  it('reports two subnets of one zone (EC2 InvalidFleetConfig) as non-retryable invalid-configuration', async () => {
    fx = await ec2Fixture(ec2Pool({ subnetIds: ['subnet-a', 'subnet-a2'] }));
    fx.ec2.addSubnet('subnet-a2', 'us-east-1a');
    expect(await fx.provider.launch(request)).toMatchObject({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['InvalidFleetConfig'],
    });
  });

  it('reports more tags than EC2 allows on an instance as non-retryable invalid-configuration', async () => {
    const extraTags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`team-${i}`, 'x']));
    fx = await ec2Fixture(ec2Pool({ extraTags }));
    expect(await fx.provider.launch(request)).toMatchObject({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['TagLimitExceeded'],
    });
  });
});
