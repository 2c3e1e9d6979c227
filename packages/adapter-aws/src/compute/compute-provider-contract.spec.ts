import { computeProviderContract } from '@hangar/core/testing/compute-provider-contract';
import { POOL, ec2Fixture, fargateFixture } from './spec-fixtures';

computeProviderContract('Ec2FleetComputeProvider against the EC2 emulator', async () => {
  const { ec2, provider, close } = await ec2Fixture();
  return {
    provider,
    poolId: POOL,
    close,
    makeCapacityUnavailable: () => {
      ec2.setCapacity({ market: 'on-demand', available: 0 });
      ec2.setCapacity({ market: 'spot', available: 0 });
    },
  };
});

computeProviderContract('FargateComputeProvider against the ECS emulator', async () => {
  const { ecs, provider, close } = await fargateFixture();
  return { provider, poolId: POOL, close, makeCapacityUnavailable: () => ecs.setCapacity(0) };
});
