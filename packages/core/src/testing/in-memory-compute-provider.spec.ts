import { computeProviderContract } from './compute-provider-contract';
import { InMemoryComputeProvider } from './in-memory-compute-provider';
import { ManualClock } from './twins';
import { PoolId } from '../shared/brand';

const POOL = PoolId('linux');

for (const kind of ['ec2', 'fargate'] as const) {
  computeProviderContract(
    `InMemoryComputeProvider (${kind})`,
    async () => {
      const provider = new InMemoryComputeProvider(kind, new ManualClock(), new Set([POOL]));
      return {
        provider,
        poolId: POOL,
        close: async () => undefined,
        makeCapacityUnavailable: () => {
          provider.capacityAvailable = false;
        },
        acceptNextLaunchThenThrottle: () => provider.acceptThenThrottle(0),
        reclaimSpot: (instanceId) => provider.reclaim(instanceId),
      };
    },
    {
      notModelled: {
        'other-deployment':
          "the twin is one deployment: it holds no other deployment's machines (the adapters carry the case)",
        'other-deployment-same-key':
          "the twin is one deployment: it holds no other deployment's machines (the adapters carry the case)",
        'other-deployment-by-id':
          "the twin is one deployment: it holds no other deployment's machines (the adapters carry the case)",
      },
    },
  );
}
