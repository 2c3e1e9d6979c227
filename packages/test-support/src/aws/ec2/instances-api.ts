import { list, str, strList, type QueryObject } from './query';
import { Ec2ApiError, type Ec2World } from './state';
import { STATE_CODES, type Ec2Instance } from './types';
import type { XmlObject } from './xml';

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

function requireIds(ids: string[]): void {
  const malformed = ids.find((id) => !INSTANCE_ID.test(id));
  if (malformed) throw new Ec2ApiError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
}

/** Like AWS: one error naming every unknown id. */
function requireKnown(world: Ec2World, ids: string[]): void {
  const unknown = ids.filter((id) => !world.instances.has(id));
  if (unknown.length === 1) {
    throw new Ec2ApiError('InvalidInstanceID.NotFound', `The instance ID '${unknown[0]}' does not exist`);
  }
  if (unknown.length > 1) {
    throw new Ec2ApiError(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${unknown.join(', ')}' do not exist`,
    );
  }
}

/** `*` and `?` as in EC2 filter values. */
const globMatch = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

function filterPredicate(name: string, values: string[]): (i: Ec2Instance) => boolean {
  const any = (value: string | undefined) => value !== undefined && values.some((p) => globMatch(p, value));
  if (name.startsWith('tag:')) return (i) => any(i.tags[name.slice(4)]);
  switch (name) {
    case 'tag-key':
      return (i) => Object.keys(i.tags).some((k) => any(k));
    case 'instance-state-name':
      return (i) => any(i.state);
    case 'instance-id':
      return (i) => any(i.instanceId);
    case 'instance-type':
      return (i) => any(i.instanceType);
    case 'subnet-id':
      return (i) => any(i.subnetId);
    default:
      throw new Ec2ApiError('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
}

export function describeInstances(world: Ec2World, params: QueryObject, advance: boolean): XmlObject {
  if (advance) world.advance();
  const ids = strList(params, 'InstanceId');
  const maxResults = str(params, 'MaxResults');
  if (ids.length > 0 && maxResults !== undefined) {
    throw new Ec2ApiError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  requireIds(ids);
  requireKnown(world, ids);
  const predicates = list(params, 'Filter').map((f) =>
    filterPredicate(str(f, 'Name') ?? '', strList(f, 'Value')),
  );
  const selected = [...world.instances.values()].filter(
    (i) => (ids.length === 0 || ids.includes(i.instanceId)) && predicates.every((p) => p(i)),
  );
  const pageSize = maxResults === undefined ? 1000 : Number(maxResults);
  if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 1000) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Value (${maxResults}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  const start = decodeToken(str(params, 'NextToken'));
  const page = selected.slice(start, start + pageSize);
  const next = start + pageSize < selected.length ? encodeToken(start + pageSize) : undefined;
  return { reservationSet: reservations(page), nextToken: next };
}

function reservations(instances: Ec2Instance[]): XmlObject[] {
  const byReservation = new Map<string, Ec2Instance[]>();
  for (const i of instances)
    byReservation.set(i.reservationId, [...(byReservation.get(i.reservationId) ?? []), i]);
  return [...byReservation].map(([reservationId, members]) => ({
    reservationId,
    ownerId: '123456789012',
    groupSet: [],
    instancesSet: members.map(instanceXml),
  }));
}

function instanceXml(i: Ec2Instance): XmlObject {
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.state], name: i.state },
    instanceType: i.instanceType,
    launchTime: i.launchTime.toISOString(),
    placement: { availabilityZone: i.availabilityZone, tenancy: 'default' },
    subnetId: i.subnetId,
    clientToken: i.clientToken ?? undefined,
    instanceLifecycle: i.lifecycle === 'spot' ? 'spot' : undefined,
    stateReason: i.stateReason ? { code: i.stateReason, message: i.stateReason } : undefined,
    tagSet: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
  };
}

const encodeToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64');

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new Ec2ApiError('InvalidParameterValue', `Invalid NextToken: ${token}`);
  return Number(match[1]);
}

/** Idempotent for known instances (a terminated one stays terminated); unknown ids fail. */
export function terminateInstances(world: Ec2World, params: QueryObject): XmlObject {
  const ids = strList(params, 'InstanceId');
  if (ids.length === 0)
    throw new Ec2ApiError('MissingParameter', 'The request must contain the parameter InstanceId');
  requireIds(ids);
  requireKnown(world, ids);
  const instancesSet = ids.map((id) => {
    const before = world.instances.get(id) as Ec2Instance;
    const after =
      before.state === 'terminated' || before.state === 'shutting-down'
        ? before
        : world.transition(id, 'shutting-down', 'api', 'Client.UserInitiatedShutdown');
    return {
      instanceId: id,
      currentState: { code: STATE_CODES[after.state], name: after.state },
      previousState: { code: STATE_CODES[before.state], name: before.state },
    };
  });
  return { instancesSet };
}

export function createTags(world: Ec2World, params: QueryObject): XmlObject {
  const ids = strList(params, 'ResourceId');
  if (ids.length === 0)
    throw new Ec2ApiError('MissingParameter', 'The request must contain the parameter ResourceId');
  requireIds(ids);
  requireKnown(world, ids);
  const tags = list(params, 'Tag').map((t) => [str(t, 'Key') ?? '', str(t, 'Value') ?? ''] as const);
  if (tags.some(([key]) => key === '' || key.startsWith('aws:'))) {
    throw new Ec2ApiError('InvalidParameterValue', 'Tag keys must be non-empty and may not start with aws:');
  }
  for (const id of ids) {
    const instance = world.instances.get(id) as Ec2Instance;
    world.instances.set(id, { ...instance, tags: { ...instance.tags, ...Object.fromEntries(tags) } });
  }
  return { return: true };
}

export function describeLaunchTemplates(world: Ec2World, params: QueryObject): XmlObject {
  const names = strList(params, 'LaunchTemplateName');
  const ids = strList(params, 'LaunchTemplateId');
  const missingName = names.find((name) => !world.findTemplate({ name }));
  if (missingName) {
    throw new Ec2ApiError(
      'InvalidLaunchTemplateName.NotFoundException',
      'At least one of the launch templates specified in the request does not exist.',
    );
  }
  const missingId = ids.find((id) => !world.findTemplate({ id }));
  if (missingId) {
    throw new Ec2ApiError(
      'InvalidLaunchTemplateId.NotFound',
      `The specified launch template, with template ID ${missingId}, does not exist.`,
    );
  }
  const selected = [...world.templates.values()].filter(
    (t) =>
      (names.length === 0 && ids.length === 0) ||
      names.includes(t.launchTemplateName) ||
      ids.includes(t.launchTemplateId),
  );
  return {
    launchTemplates: selected.map((t) => ({
      launchTemplateId: t.launchTemplateId,
      launchTemplateName: t.launchTemplateName,
      createTime: t.createTime.toISOString(),
      createdBy: 'arn:aws:iam::123456789012:root',
      defaultVersionNumber: 1,
      latestVersionNumber: 1,
    })),
  };
}
