import { list, str, sub, type QueryObject, type QueryValue } from './query';
import { Ec2ApiError, type Ec2World } from './state';
import type { XmlObject } from './xml';

// Reading and echoing CreateFleet request parts (the Query protocol's nested params).

/** CreateFleet's limits from the API reference. */
const MAX_LAUNCH_TEMPLATE_CONFIGS = 50;
/** User tags per resource (EC2's system `aws:` tags do not count). */
const MAX_TAGS = 50;

/** One launch template × override combination, in request order. */
export interface Candidate {
  readonly order: number;
  readonly template: { readonly id?: string; readonly name?: string; readonly version?: string };
  readonly override: QueryObject;
}

export function targetCapacity(spec: QueryObject): { spot: number; onDemand: number } {
  const total = Number(str(spec, 'TotalTargetCapacity'));
  if (!Number.isInteger(total) || total < 1) {
    throw new Ec2ApiError('InvalidParameterValue', 'TotalTargetCapacity must be a positive integer');
  }
  const defaultType = str(spec, 'DefaultTargetCapacityType');
  if (defaultType !== 'spot' && defaultType !== 'on-demand') {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Invalid DefaultTargetCapacityType: ${defaultType ?? '(missing)'}`,
    );
  }
  const onDemandGiven = str(spec, 'OnDemandTargetCapacity');
  const spotGiven = str(spec, 'SpotTargetCapacity');
  const onDemand = Math.min(
    total,
    onDemandGiven !== undefined
      ? Number(onDemandGiven)
      : defaultType === 'on-demand'
        ? total - Number(spotGiven ?? 0)
        : 0,
  );
  return { onDemand, spot: total - onDemand };
}

export function candidatesOf(params: QueryObject): Candidate[] {
  const configs = list(params, 'LaunchTemplateConfigs');
  if (configs.length === 0) throw new Ec2ApiError('MissingParameter', 'LaunchTemplateConfigs is required');
  if (configs.length > MAX_LAUNCH_TEMPLATE_CONFIGS) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `LaunchTemplateConfigs has ${configs.length} entries; at most ${MAX_LAUNCH_TEMPLATE_CONFIGS} are allowed`,
    );
  }
  const out: Candidate[] = [];
  for (const config of configs) {
    const spec = sub(config, 'LaunchTemplateSpecification');
    const template = {
      id: str(spec, 'LaunchTemplateId'),
      name: str(spec, 'LaunchTemplateName'),
      version: str(spec, 'Version'),
    };
    if (!template.id && !template.name) {
      throw new Ec2ApiError(
        'MissingParameter',
        'LaunchTemplateSpecification needs LaunchTemplateId or LaunchTemplateName',
      );
    }
    const overrides = list(config, 'Overrides');
    for (const override of overrides.length > 0 ? overrides : [{}]) {
      out.push({ order: out.length, template, override: asObject(override) });
    }
  }
  return out;
}

/**
 * EC2 refuses a fleet in which two overrides name the same instance pool (instance type in
 * one Availability Zone), e.g. two subnets of one zone: a whole-call InvalidFleetConfig.
 * Unknown subnets have no zone; their overrides fail on their own (InvalidSubnetID.NotFound).
 */
export function requireDistinctPools(world: Ec2World, candidates: readonly Candidate[]): void {
  const seen = new Set<string>();
  for (const { template, override } of candidates) {
    const subnet = str(override, 'SubnetId');
    const zone = subnet === undefined ? undefined : world.zoneOf(subnet);
    if (zone === undefined) continue;
    const pool = `${template.id ?? template.name ?? ''}|${str(override, 'InstanceType') ?? ''}|${zone}`;
    if (seen.has(pool)) {
      throw new Ec2ApiError(
        'InvalidFleetConfig',
        'The fleet configuration contains duplicate instance pools.',
      );
    }
    seen.add(pool);
  }
}

const asObject = (value: QueryValue): QueryObject =>
  typeof value === 'object' && !Array.isArray(value) ? value : {};

export function describeCandidate({ template, override }: Candidate): XmlObject {
  return {
    launchTemplateAndOverrides: {
      launchTemplateSpecification: {
        launchTemplateId: template.id,
        launchTemplateName: template.name,
        version: template.version,
      },
      overrides: {
        instanceType: str(override, 'InstanceType'),
        maxPrice: str(override, 'MaxPrice'),
        subnetId: str(override, 'SubnetId'),
        priority: str(override, 'Priority'),
        imageId: str(override, 'ImageId'),
      },
    },
  };
}

export function tagsByResource(params: QueryObject): {
  instance: Record<string, string>;
  volume: Record<string, string>;
} {
  const out = { instance: {} as Record<string, string>, volume: {} as Record<string, string> };
  for (const spec of list(params, 'TagSpecification')) {
    const type = str(spec, 'ResourceType');
    const target = type === 'instance' ? out.instance : type === 'volume' ? out.volume : undefined;
    for (const tag of list(spec, 'Tag')) {
      const key = str(tag, 'Key');
      if (!key) throw new Ec2ApiError('InvalidParameterValue', 'Tag keys must not be empty');
      if (key.startsWith('aws:'))
        throw new Ec2ApiError('InvalidParameterValue', `Tag keys may not start with aws: (${key})`);
      if (target) target[key] = str(tag, 'Value') ?? '';
    }
  }
  if (Object.keys(out.instance).length > MAX_TAGS || Object.keys(out.volume).length > MAX_TAGS) {
    throw new Ec2ApiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  }
  return out;
}
