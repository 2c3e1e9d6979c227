import type { _InstanceType, CreateFleetCommandInput, CreateFleetCommandOutput } from '@aws-sdk/client-ec2';
import { InstanceId, type LaunchRequest, type LaunchResult } from '@hangar/core';
import { classifyCode, failed, unknownOutcome, type FailureClass } from './aws-errors';
import { clientTokenFor } from './client-token';
import type { Ec2PoolSettings } from './pool-settings';
import { hangarTags, type MachineTagging } from './tags';

/**
 * An instant fleet for one machine: overrides are subnets × instance types, and an
 * instance type's position in the pool is its `Priority` (all its subnets share it, so
 * EC2 still spreads over zones). EC2 reads `Priority` only under on-demand `prioritized` and
 * spot `capacity-optimized-prioritized`; other strategies ignore it. ClientToken comes from
 * the idempotency key.
 */
export function createFleetInput(
  pool: Ec2PoolSettings,
  request: LaunchRequest & { capacityType: 'spot' | 'on-demand' },
  imageId: string | undefined,
  tagging: MachineTagging,
): CreateFleetCommandInput {
  const spot = request.capacityType === 'spot';
  const overrides = pool.instanceTypes.flatMap((instanceType, priority) =>
    pool.subnetIds.map((subnetId) => ({
      InstanceType: instanceType as _InstanceType,
      SubnetId: subnetId,
      Priority: priority,
      ...(imageId ? { ImageId: imageId } : {}),
      ...(spot && pool.spotMaxPrice ? { MaxPrice: pool.spotMaxPrice } : {}),
    })),
  );
  const tags = Object.entries(hangarTags(tagging, request, pool.extraTags)).map(([Key, Value]) => ({
    Key,
    Value,
  }));
  return {
    Type: 'instant',
    ClientToken: clientTokenFor(tagging.deployment, request.idempotencyKey),
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: pool.launchTemplateName, Version: '$Default' },
        Overrides: overrides,
      },
    ],
    TargetCapacitySpecification: {
      TotalTargetCapacity: 1,
      DefaultTargetCapacityType: request.capacityType,
      ...(spot ? { SpotTargetCapacity: 1 } : { OnDemandTargetCapacity: 1 }),
    },
    ...(spot
      ? { SpotOptions: { AllocationStrategy: pool.allocationStrategy } }
      : { OnDemandOptions: { AllocationStrategy: pool.onDemandAllocationStrategy ?? 'prioritized' } }),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}

/** Retryable classes first: if any override may work later, the launch may work later. */
const SEVERITY: readonly FailureClass['reason'][] = [
  'insufficient-capacity',
  'quota-exceeded',
  'throttled',
  'dependency-unavailable',
  'unknown',
  'invalid-configuration',
];

/** Reads an instant fleet's answer: an instance is `launched`; otherwise its errors, classified. */
export function interpretFleet(
  output: CreateFleetCommandOutput,
  requested: 'spot' | 'on-demand',
): LaunchResult {
  for (const group of output.Instances ?? []) {
    const instanceId = group.InstanceIds?.[0];
    if (instanceId) {
      return {
        outcome: 'launched',
        instanceId: InstanceId(instanceId),
        instanceType: group.InstanceType ?? null,
        capacityType:
          group.Lifecycle === 'spot' ? 'spot' : group.Lifecycle === 'on-demand' ? 'on-demand' : requested,
      };
    }
  }
  const errors = output.Errors ?? [];
  if (errors.length === 0) return unknownOutcome('CreateFleet returned neither instances nor errors');
  const codes = [...new Set(errors.map((e) => e.ErrorCode ?? 'Unknown'))];
  const classes = codes.map((code) => classifyCode(code, 400));
  const worst = SEVERITY.map((reason) => classes.find((c) => c.reason === reason)).find(
    (c) => c !== undefined,
  );
  const detail = errors
    .map((e) => {
      const o = e.LaunchTemplateAndOverrides?.Overrides;
      return `${e.ErrorCode ?? 'Unknown'} (${o?.InstanceType ?? '?'} in ${o?.SubnetId ?? '?'}): ${e.ErrorMessage ?? ''}`;
    })
    .join('; ');
  const placements = errors.map((e) => ({
    errorCode: e.ErrorCode ?? 'Unknown',
    instanceType: e.LaunchTemplateAndOverrides?.Overrides?.InstanceType ?? null,
    subnetId: e.LaunchTemplateAndOverrides?.Overrides?.SubnetId ?? null,
  }));
  return {
    ...failed(
      worst ?? { reason: 'unknown', retryable: true },
      codes,
      `CreateFleet launched nothing: ${detail}`,
    ),
    placements,
  };
}
