import { randomUUID } from 'node:crypto';
import { allocationOrder } from './allocation';
import {
  candidatesOf,
  describeCandidate,
  requireDistinctPools,
  tagsByResource,
  targetCapacity,
  type Candidate,
} from './fleet-request';
import { str, sub, type QueryObject } from './query';
import { Ec2ApiError, hexId, type Ec2World } from './state';
import type { Ec2Market } from './types';
import type { XmlObject } from './xml';

const SPOT_STRATEGIES = [
  'lowest-price',
  'diversified',
  'capacity-optimized',
  'capacity-optimized-prioritized',
  'price-capacity-optimized',
];
const ON_DEMAND_STRATEGIES = ['lowest-price', 'prioritized'];

interface PlacementError {
  readonly code: string;
  readonly message: string;
}

/**
 * CreateFleet, `Type=instant` only: tries the overrides per market in the order the
 * allocation strategy gives (allocation.ts),
 * launches what capacity allows and reports every override that failed in `errorSet`
 * (partial results are normal for instant fleets). A repeated ClientToken replays the
 * first result without launching anything.
 */
export function createFleet(world: Ec2World, params: QueryObject): XmlObject {
  const token = str(params, 'ClientToken');
  const { ClientToken: _token, ...rest } = params;
  const fingerprint = JSON.stringify(rest);
  if (token !== undefined) {
    if (token.length > 64)
      throw new Ec2ApiError('InvalidParameterValue', 'ClientToken is longer than 64 characters');
    const known = world.fleetTokens.get(token);
    if (known && known.fingerprint !== fingerprint) {
      throw new Ec2ApiError(
        'IdempotentParameterMismatch',
        'The client token you have provided is associated with a request that has different parameters.',
      );
    }
    if (known) return known.result as XmlObject;
  }
  const result = launchFleet(world, params, token ?? null);
  if (token !== undefined) world.fleetTokens.set(token, { fingerprint, result });
  return result;
}

function launchFleet(world: Ec2World, params: QueryObject, token: string | null): XmlObject {
  if (str(params, 'Type') !== 'instant') {
    throw new Ec2ApiError('InvalidParameterValue', 'This emulator supports only fleets of Type=instant');
  }
  const capacity = targetCapacity(sub(params, 'TargetCapacitySpecification'));
  const spotStrategy = str(sub(params, 'SpotOptions'), 'AllocationStrategy') ?? 'lowest-price';
  const onDemandStrategy = str(sub(params, 'OnDemandOptions'), 'AllocationStrategy') ?? 'lowest-price';
  if (!SPOT_STRATEGIES.includes(spotStrategy)) {
    throw new Ec2ApiError('InvalidParameterValue', `Invalid spot allocation strategy: ${spotStrategy}`);
  }
  if (!ON_DEMAND_STRATEGIES.includes(onDemandStrategy)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Invalid on-demand allocation strategy: ${onDemandStrategy}`,
    );
  }
  const candidates = candidatesOf(params);
  requireDistinctPools(world, candidates);
  const tags = tagsByResource(params);
  const fleetId = `fleet-${randomUUID()}`;
  const reservationId = hexId('r');
  const errorSet: XmlObject[] = [];
  const fleetInstanceSet: XmlObject[] = [];

  for (const market of ['on-demand', 'spot'] as const) {
    let needed = market === 'spot' ? capacity.spot : capacity.onDemand;
    if (needed === 0) continue;
    const strategy = market === 'spot' ? spotStrategy : onDemandStrategy;
    for (const candidate of allocationOrder(world, candidates, market, strategy)) {
      const placed = place(world, candidate, market, needed);
      const described = describeCandidate(candidate);
      if ('code' in placed) {
        errorSet.push({
          ...described,
          lifecycle: market,
          errorCode: placed.code,
          errorMessage: placed.message,
        });
        continue;
      }
      const ids = [];
      for (let i = 0; i < placed.count; i += 1) {
        const instanceId = hexId('i');
        ids.push(instanceId);
        world.addInstance({
          instanceId,
          imageId: placed.imageId,
          instanceType: placed.instanceType,
          subnetId: placed.subnetId,
          availabilityZone: placed.zone,
          lifecycle: market,
          state: 'pending',
          stateReason: null,
          launchTime: world.clock(),
          tags: { ...tags.instance, 'aws:ec2:fleet-id': fleetId },
          volumeTags: tags.volume,
          clientToken: token,
          launchTemplateId: placed.templateId,
          reservationId,
          spotMaxPrice: market === 'spot' ? (str(candidate.override, 'MaxPrice') ?? null) : null,
        });
      }
      fleetInstanceSet.push({
        ...described,
        lifecycle: market,
        instanceIds: ids,
        instanceType: placed.instanceType,
      });
      needed -= placed.count;
      if (needed === 0) break;
    }
  }
  return { fleetId, errorSet, fleetInstanceSet };
}

function place(
  world: Ec2World,
  candidate: Candidate,
  market: Ec2Market,
  needed: number,
):
  | PlacementError
  | {
      count: number;
      instanceType: string;
      imageId: string;
      subnetId: string;
      zone: string;
      templateId: string;
    } {
  const { template: spec, override } = candidate;
  const template = world.findTemplate(spec);
  if (!template) {
    return spec.id
      ? {
          code: 'InvalidLaunchTemplateId.NotFound',
          message: `The specified launch template, with template ID ${spec.id}, does not exist.`,
        }
      : {
          code: 'InvalidLaunchTemplateName.NotFoundException',
          message: `The specified launch template, with template name ${spec.name}, does not exist.`,
        };
  }
  const instanceType = str(override, 'InstanceType') ?? template.instanceType;
  if (!instanceType)
    return { code: 'MissingParameter', message: 'No instance type in override or launch template' };
  const imageId = str(override, 'ImageId') ?? template.imageId;
  if (!imageId) return { code: 'MissingParameter', message: 'No image id in override or launch template' };
  if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) {
    return { code: 'InvalidAMIID.Malformed', message: `Invalid id: "${imageId}" (expecting "ami-...")` };
  }
  const subnetId = str(override, 'SubnetId');
  if (!subnetId)
    return { code: 'MissingParameter', message: 'The request must contain the parameter SubnetId' };
  // EC2 reports a launch specification it cannot use in the instant fleet's errors, per override.
  const zone = world.zoneOf(subnetId);
  if (zone === undefined) {
    return { code: 'InvalidSubnetID.NotFound', message: `The subnet ID '${subnetId}' does not exist` };
  }
  const maxPrice = str(override, 'MaxPrice');
  const spotPrice = world.spotPrice(instanceType);
  if (market === 'spot' && maxPrice !== undefined && Number(maxPrice) < Number(spotPrice)) {
    return {
      code: 'SpotMaxPriceTooLow',
      message: `Your Spot request price of ${maxPrice} is lower than the minimum required Spot request fulfillment price of ${spotPrice}.`,
    };
  }
  const { granted, errorCode } = world.takeCapacity(market, instanceType, subnetId, needed);
  if (granted === 0) {
    return {
      code: errorCode,
      message: `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${zone}).`,
    };
  }
  return { count: granted, instanceType, imageId, subnetId, zone, templateId: template.launchTemplateId };
}
