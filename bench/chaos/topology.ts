import type { PoolInput } from '@hangar/runtime-lambda/local/infrastructure';
import { FAULT_FAMILIES, type FaultFamily } from './faults';
import type { Rng } from './rng';

export const X64 = ['self-hosted', 'linux', 'x64'] as const;
export const ARM = ['self-hosted', 'linux', 'arm64'] as const;
export const GPU = ['self-hosted', 'gpu'] as const;

export interface PlannedJob {
  readonly atStep: number;
  readonly labels: readonly string[];
  readonly durationMs: number;
}

/** What one schedule runs: runner configurations, a workload and the faults switched on. */
export interface Topology {
  readonly pools: readonly PoolInput[];
  readonly jobs: readonly PlannedJob[];
  readonly faults: ReadonlySet<FaultFamily>;
}

function pool(rng: Rng, id: string, labels: readonly string[]): PoolInput {
  const fargate = rng.chance(0.2);
  const failover = rng.chance(0.5);
  return {
    id,
    labels: [...labels],
    owner: 'acme',
    ephemeral: rng.chance(0.65),
    maxRunners: rng.int(1, 3),
    minimumRunningTimeMinutes: rng.int(1, 5),
    bootTimeMinutes: 5,
    capacity: {
      type: fargate || rng.chance(0.7) ? 'spot' : 'on-demand',
      onDemandFailoverFor: failover ? ['InsufficientInstanceCapacity'] : [],
    },
    compute: fargate
      ? {
          kind: 'fargate',
          cluster: 'hangar-runners',
          taskDefinition: `td-${id}`,
          containerName: 'runner',
          subnetIds: ['subnet-1'],
        }
      : {
          kind: 'ec2',
          launchTemplateName: `lt-${id}`,
          subnetIds: ['subnet-1'],
          instanceTypes: ['m7i.large'],
        },
  };
}

/**
 * Draws a schedule's topology: one or two pools (ephemeral or reusable, EC2 or Fargate, max 1–3),
 * up to eight jobs arriving during the chaos window (now and then one no pool serves), and each
 * allowed fault family switched on with probability one half.
 */
export function drawTopology(rng: Rng, allowed: ReadonlySet<FaultFamily>, chaosSteps: number): Topology {
  const pools = [pool(rng, 'x64', X64)];
  if (rng.chance(0.4)) pools.push(pool(rng, 'arm', ARM));
  const jobs: PlannedJob[] = [];
  for (let n = rng.int(1, 8); n > 0; n -= 1) {
    const labels = rng.chance(0.05) ? GPU : (rng.pick(pools).labels as readonly string[]);
    jobs.push({
      atStep: rng.int(0, Math.max(0, chaosSteps - 8)),
      labels,
      durationMs: rng.int(1, 6) * 60_000,
    });
  }
  const faults = new Set<FaultFamily>(
    FAULT_FAMILIES.filter((family) => allowed.has(family) && rng.chance(0.5)),
  );
  return { pools, jobs, faults };
}
