import type { JobRecord } from '@hangar/test-support/github';
import {
  startLocalControlPlane,
  type LocalControlPlane,
  type LocalControlPlaneOptions,
} from '../local/control-plane';
import type { PoolInput } from '../local/infrastructure';
import { logicalJobs } from '../local/report';
import { runtimeHandlers } from '../local/runtime-handlers';

/** An EC2 pool for scenarios: spot by default, three instance types, no minimum running time. */
export function ec2Pool(
  id: string,
  labels: readonly string[],
  overrides: Partial<PoolInput> = {},
): PoolInput {
  return {
    id,
    labels: [...labels],
    owner: 'acme',
    maxRunners: 10,
    minimumRunningTimeMinutes: 1,
    bootTimeMinutes: 5,
    compute: {
      kind: 'ec2',
      launchTemplateName: `lt-${id}`,
      subnetIds: ['subnet-0a1b2c3d'],
      instanceTypes: ['m7i.large', 'm6i.large'],
    },
    ...overrides,
  };
}

export function fargatePool(
  id: string,
  labels: readonly string[],
  overrides: Partial<PoolInput> = {},
): PoolInput {
  return {
    id,
    labels: [...labels],
    owner: 'acme',
    maxRunners: 10,
    minimumRunningTimeMinutes: 1,
    bootTimeMinutes: 5,
    compute: {
      kind: 'fargate',
      cluster: 'hangar-runners',
      taskDefinition: `td-${id}`,
      containerName: 'runner',
      subnetIds: ['subnet-0a1b2c3d'],
    },
    ...overrides,
  };
}

/** A local control plane on the jest DynamoDB Local, with the runtime's own handlers. */
export async function startScenario(
  options: Omit<LocalControlPlaneOptions, 'handlers' | 'repos'> & { repos?: readonly string[] },
): Promise<LocalControlPlane> {
  const dynamoDbEndpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT;
  if (!dynamoDbEndpoint) throw new Error('HANGAR_TEST_DYNAMODB_ENDPOINT is not set: run through `pnpm jest`');
  return startLocalControlPlane({
    repos: ['acme/web', 'acme/api'],
    dynamoDbEndpoint,
    handlers: runtimeHandlers,
    ...options,
  });
}

/** Every job's last attempt completed (any conclusion). */
export function allFinished(plane: LocalControlPlane): boolean {
  const jobs = plane.fake.jobs();
  return (
    jobs.length > 0 && [...logicalJobs(jobs).values()].every((a) => a[a.length - 1]?.status === 'completed')
  );
}

/** The pool of the machine behind a GitHub runner name (`<prefix>hgr-<runnerId>`), from the machine's tags. */
export function poolOfRunner(plane: LocalControlPlane, runnerName: string | null): string | undefined {
  if (runnerName === null) return undefined;
  const runnerId = runnerName.slice(runnerName.lastIndexOf('hgr-') + 4);
  const { ec2, ecs } = plane.infrastructure;
  const tags = [...ec2.instances().map((i) => i.tags), ...ecs.tasks().map((t) => t.tags)];
  return tags.find((t) => t['hangar:runner-id'] === runnerId)?.['hangar:pool-id'];
}

/** The jobs GitHub ran, by conclusion. */
export function conclusions(jobs: readonly JobRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of jobs) {
    const key = job.conclusion ?? job.status;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Machines (EC2 instances and Fargate tasks) per Hangar runner id. */
export function machinesPerRunner(plane: LocalControlPlane): Map<string, number> {
  const { ec2, ecs } = plane.infrastructure;
  const counts = new Map<string, number>();
  for (const tags of [...ec2.instances().map((i) => i.tags), ...ecs.tasks().map((t) => t.tags)]) {
    const id = tags['hangar:runner-id'] ?? 'untagged';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
