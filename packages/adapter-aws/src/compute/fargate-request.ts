import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { LaunchRequest } from '@hangar/core';
import type { FailureClass } from './aws-errors';
import { clientTokenFor } from './client-token';
import type { FargatePoolSettings } from './pool-settings';
import { hangarTags, type MachineTagging } from './tags';

/** One task of the pool's task definition, tagged, with the runner's id and secret path. */
export function runTaskInput(
  pool: FargatePoolSettings,
  request: LaunchRequest,
  tagging: MachineTagging,
  startedBy: string,
): RunTaskCommandInput {
  const tags = hangarTags(tagging, request, pool.extraTags);
  return {
    cluster: pool.cluster,
    taskDefinition: pool.taskDefinition,
    count: 1,
    ...(pool.capacityProvider
      ? { capacityProviderStrategy: [{ capacityProvider: pool.capacityProvider, weight: 1 }] }
      : { launchType: 'FARGATE' }),
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...pool.subnetIds],
        securityGroups: [...pool.securityGroupIds],
        assignPublicIp: pool.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    },
    overrides: {
      ...(pool.taskRoleArn === undefined ? {} : { taskRoleArn: pool.taskRoleArn }),
      containerOverrides: [
        {
          name: pool.containerName,
          environment: [
            { name: 'HANGAR_RUNNER_ID', value: request.runnerId },
            { name: 'HANGAR_SECRET_PATH', value: request.secretPath },
          ],
        },
      ],
    },
    startedBy,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    clientToken: clientTokenFor(tagging.deployment, request.idempotencyKey),
  };
}

/** RunTask `failures[].reason` → class. `RESOURCE:*` and Fargate's capacity sentence are capacity. */
export function classifyFailure(reason: string): FailureClass {
  if (reason.startsWith('RESOURCE:') || /capacity is unavailable/i.test(reason)) {
    return { reason: 'insufficient-capacity', retryable: true };
  }
  if (reason === 'MISSING' || reason === 'INACTIVE' || reason.startsWith('ATTRIBUTE')) {
    return { reason: 'invalid-configuration', retryable: false };
  }
  return { reason: 'unknown', retryable: true };
}
