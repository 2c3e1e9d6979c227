import { computeProviderContract } from '@hangar/core/testing/compute-provider-contract';
import { acceptedThenThrottled } from '@hangar/test-support/aws/ec2';
import { POOL, ec2Fixture, fargateFixture } from './spec-fixtures';

computeProviderContract('Ec2FleetComputeProvider against the EC2 emulator', async () => {
  const { ec2, provider, anotherDeployment, close } = await ec2Fixture();
  return {
    provider,
    anotherDeployment,
    poolId: POOL,
    close,
    makeCapacityUnavailable: () => {
      ec2.setCapacity({ market: 'on-demand', available: 0 });
      ec2.setCapacity({ market: 'spot', available: 0 });
    },
    // The SDK makes 3 attempts: the first is accepted (answered 500), the other two throttled.
    acceptNextLaunchThenThrottle: () => {
      for (const fault of acceptedThenThrottled('CreateFleet', 'RequestLimitExceeded', 2))
        ec2.faults.add(fault);
    },
    reclaimSpot: (instanceId) => ec2.interruptSpot(instanceId),
  };
});

computeProviderContract('FargateComputeProvider against the ECS emulator', async () => {
  const { ecs, provider, anotherDeployment, close } = await fargateFixture();
  return {
    provider,
    anotherDeployment,
    poolId: POOL,
    close,
    makeCapacityUnavailable: () => ecs.setCapacity(0),
    acceptNextLaunchThenThrottle: () => {
      for (const fault of acceptedThenThrottled('RunTask', 'ThrottlingException', 2)) ecs.faults.add(fault);
    },
    // What ECS records for a Fargate Spot task it reclaims (stopCode and stoppedReason).
    reclaimSpot: (taskArn) =>
      ecs.setTaskStatus(taskArn, 'STOPPED', {
        stopCode: 'SpotInterruption',
        stoppedReason: 'Your Spot Task was interrupted.',
      }),
  };
});
