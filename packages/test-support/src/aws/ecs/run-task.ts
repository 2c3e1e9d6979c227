import { randomBytes } from 'node:crypto';
import { optArray, optObject, optString, pairs, stringsOf } from './json';
import { taskJson } from './task-json';
import type { EcsParams, FargateProvider } from './types';
import { ACCOUNT, EcsApiError, REGION, type EcsWorld } from './world';

/** RunTask limits from the API reference. */
const MAX_TAGS = 50;
const STARTED_BY = /^[A-Za-z0-9_/-]{1,128}$/;

/**
 * RunTask for Fargate (launchType FARGATE or a FARGATE/FARGATE_SPOT capacity provider
 * strategy). Capacity shortages are `failures` entries, not errors, as in ECS. A repeated
 * clientToken returns the first response and starts nothing.
 */
export function runTask(world: EcsWorld, params: EcsParams): unknown {
  const token = optString(params, 'clientToken');
  const { clientToken: _token, ...rest } = params;
  const fingerprint = JSON.stringify(rest);
  if (token !== undefined) {
    if (token.length > 64)
      throw new EcsApiError('InvalidParameterException', 'clientToken must be at most 64 characters');
    const known = world.runTokens.get(token);
    if (known && known.fingerprint !== fingerprint) {
      throw new EcsApiError(
        'InvalidParameterException',
        'The clientToken was already used with different parameters.',
      );
    }
    if (known) return known.response;
  }
  const response = startTasks(world, params);
  if (token !== undefined) world.runTokens.set(token, { fingerprint, response });
  return response;
}

function startTasks(world: EcsWorld, params: EcsParams): unknown {
  const clusterName = world.resolveCluster(params.cluster);
  const reference = optString(params, 'taskDefinition');
  if (!reference) throw new EcsApiError('InvalidParameterException', 'taskDefinition is required');
  const definition = world.findTaskDefinition(reference);
  if (!definition) throw new EcsApiError('ClientException', 'TaskDefinition not found.');
  const provider = providerOf(params);
  const vpc = optObject(optObject(params, 'networkConfiguration'), 'awsvpcConfiguration');
  const subnets = stringsOf(optArray(vpc, 'subnets'));
  if (subnets.length === 0) {
    throw new EcsApiError(
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  const assignPublicIp = optString(vpc, 'assignPublicIp') ?? 'DISABLED';
  if (assignPublicIp !== 'ENABLED' && assignPublicIp !== 'DISABLED') {
    throw new EcsApiError('InvalidParameterException', `Invalid assignPublicIp: ${assignPublicIp}`);
  }
  const environment: Record<string, Record<string, string>> = {};
  for (const entry of optArray(optObject(params, 'overrides'), 'containerOverrides')) {
    const override = (entry ?? {}) as Record<string, unknown>;
    const name = typeof override.name === 'string' ? override.name : '';
    if (!definition.containers.includes(name)) {
      throw new EcsApiError(
        'InvalidParameterException',
        `Override for container named ${name} is not a container in the TaskDefinition.`,
      );
    }
    environment[name] = pairs(optArray(override, 'environment'), 'name');
  }
  const tags = pairs(optArray(params, 'tags'), 'key');
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new EcsApiError('InvalidParameterException', `A task can have at most ${MAX_TAGS} tags.`);
  }
  const startedBy = optString(params, 'startedBy');
  if (startedBy !== undefined && !STARTED_BY.test(startedBy)) {
    throw new EcsApiError(
      'InvalidParameterException',
      'startedBy allows up to 128 letters, numbers, hyphens, forward slashes and underscores.',
    );
  }
  if (Object.keys(tags).some((k) => k.toLowerCase().startsWith('aws:'))) {
    throw new EcsApiError('InvalidParameterException', 'Tag keys may not start with aws:');
  }
  const count = params.count === undefined ? 1 : Number(params.count);
  if (!Number.isInteger(count) || count < 1 || count > 10) {
    throw new EcsApiError('InvalidParameterException', 'count must be between 1 and 10');
  }
  const tasks = [];
  const failures = [];
  for (let i = 0; i < count; i += 1) {
    const capacity = world.takeCapacity(provider);
    if (!capacity.ok) {
      failures.push({ arn: definition.arn, reason: capacity.reason });
      continue;
    }
    const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${clusterName}/${randomBytes(16).toString('hex')}`;
    world.addTask({
      taskArn,
      clusterArn: world.clusterArn(clusterName),
      clusterName,
      taskDefinitionArn: definition.arn,
      family: definition.family,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      capacityProviderName: provider,
      startedBy: startedBy ?? null,
      group: optString(params, 'group') ?? `family:${definition.family}`,
      tags,
      subnets,
      securityGroups: stringsOf(optArray(vpc, 'securityGroups')),
      assignPublicIp,
      environment,
      containers: definition.containers,
      createdAt: world.clock(),
      stoppedReason: null,
      stopCode: null,
    });
    tasks.push(taskJson(world.tasks.get(taskArn), false));
  }
  return { tasks, failures };
}

function providerOf(params: EcsParams): FargateProvider {
  const launchType = optString(params, 'launchType');
  const strategy = optArray(params, 'capacityProviderStrategy');
  if (launchType !== undefined && strategy.length > 0) {
    throw new EcsApiError(
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported.',
    );
  }
  if (strategy.length > 0) {
    const names = strategy.map((s) => (s as Record<string, unknown>).capacityProvider);
    if (names.length !== 1 || (names[0] !== 'FARGATE' && names[0] !== 'FARGATE_SPOT')) {
      throw new EcsApiError(
        'InvalidParameterException',
        'The emulator supports one FARGATE or FARGATE_SPOT provider.',
      );
    }
    return names[0];
  }
  if (launchType !== 'FARGATE') {
    throw new EcsApiError(
      'InvalidParameterException',
      `The emulator supports only launchType FARGATE, got ${launchType}`,
    );
  }
  return 'FARGATE';
}
