import type { EcsTask } from './types';

const seconds = (d: Date): number => d.getTime() / 1000;

/** A task as ECS's JSON (timestamps in epoch seconds); tags only when asked for. */
export function taskJson(task: EcsTask | undefined, withTags: boolean): unknown {
  if (!task) return undefined;
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: task.launchType,
    capacityProviderName: task.capacityProviderName,
    platformVersion: '1.4.0',
    startedBy: task.startedBy ?? undefined,
    group: task.group,
    createdAt: seconds(task.createdAt),
    stoppedReason: task.stoppedReason ?? undefined,
    stopCode: task.stopCode ?? undefined,
    containers: task.containers.map((name) => ({
      name,
      taskArn: task.taskArn,
      lastStatus: task.lastStatus,
    })),
    overrides: {
      containerOverrides: Object.entries(task.environment).map(([name, env]) => ({
        name,
        environment: Object.entries(env).map(([k, value]) => ({ name: k, value })),
      })),
    },
    tags: withTags ? Object.entries(task.tags).map(([key, value]) => ({ key, value })) : undefined,
  };
}
