import { optArray, optString, stringsOf } from './json';
import { taskJson } from './task-json';
import type { EcsParams, EcsTask } from './types';
import { EcsApiError, type EcsWorld } from './world';

/** Task ARN or bare task id within `clusterName`. */
function findTask(world: EcsWorld, clusterName: string, reference: string): EcsTask | undefined {
  const direct = world.tasks.get(reference);
  if (direct) return direct.clusterName === clusterName ? direct : undefined;
  return [...world.tasks.values()].find(
    (t) => t.clusterName === clusterName && t.taskArn.endsWith(`/${reference}`),
  );
}

/** Stopping a stopped task returns it unchanged; an unknown task fails like ECS. */
export function stopTask(world: EcsWorld, params: EcsParams): unknown {
  const clusterName = world.resolveCluster(params.cluster);
  const reference = optString(params, 'task');
  const task = reference ? findTask(world, clusterName, reference) : undefined;
  if (!task) throw new EcsApiError('InvalidParameterException', 'The referenced task was not found.');
  if (task.desiredStatus === 'STOPPED') return { task: taskJson(task, false) };
  const stopped = world.update(
    task.taskArn,
    {
      desiredStatus: 'STOPPED',
      lastStatus: 'DEPROVISIONING',
      stoppedReason: optString(params, 'reason') ?? 'Task stopped by user',
      stopCode: 'UserInitiated',
    },
    'api',
  );
  return { task: taskJson(stopped, false) };
}

export function describeTasks(world: EcsWorld, params: EcsParams, advance: boolean): unknown {
  if (advance) world.advance();
  const clusterName = world.resolveCluster(params.cluster);
  const references = stringsOf(optArray(params, 'tasks'));
  if (references.length === 0 || references.length > 100) {
    throw new EcsApiError('InvalidParameterException', 'tasks must name between 1 and 100 tasks');
  }
  const withTags = stringsOf(optArray(params, 'include')).includes('TAGS');
  const tasks = [];
  const failures = [];
  for (const reference of references) {
    const task = findTask(world, clusterName, reference);
    if (task) tasks.push(taskJson(task, withTags));
    else failures.push({ arn: reference, reason: 'MISSING' });
  }
  return { tasks, failures };
}

const LIST_STATUSES = ['RUNNING', 'PENDING', 'STOPPED'];
/** ListTasks filters that the API reference forbids beside `startedBy`. */
const OTHER_FILTERS = ['containerInstance', 'family', 'serviceName', 'desiredStatus', 'launchType'];

/**
 * ListTasks, following the API reference: `startedBy`, when given, must be the only filter
 * (the cluster is not a filter but the scope); `desiredStatus` defaults to RUNNING otherwise,
 * and PENDING matches nothing because ECS never sets a task's desired status to PENDING.
 * A `startedBy` listing has no status filter, so recently stopped tasks appear in it (the
 * reference says they may). Pages of `maxResults` (1–100).
 */
export function listTasks(world: EcsWorld, params: EcsParams): unknown {
  const clusterName = world.resolveCluster(params.cluster);
  const startedBy = optString(params, 'startedBy');
  const combined = OTHER_FILTERS.filter((f) => params[f] !== undefined && params[f] !== null);
  if (startedBy !== undefined && combined.length > 0) {
    throw new EcsApiError(
      'InvalidParameterException',
      `startedBy must be the only filter when it is specified (also given: ${combined.join(', ')}).`,
    );
  }
  const family = optString(params, 'family');
  const desired = optString(params, 'desiredStatus') ?? 'RUNNING';
  if (!LIST_STATUSES.includes(desired))
    throw new EcsApiError('InvalidParameterException', `Invalid desiredStatus ${desired}`);
  const maxResults = params.maxResults === undefined ? 100 : Number(params.maxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw new EcsApiError('InvalidParameterException', 'maxResults must be between 1 and 100');
  }
  const matching = [...world.tasks.values()].filter(
    (t) =>
      t.clusterName === clusterName &&
      (startedBy !== undefined ? t.startedBy === startedBy : t.desiredStatus === desired) &&
      (family === undefined || t.family === family),
  );
  const start = decodeToken(optString(params, 'nextToken'));
  const page = matching.slice(start, start + maxResults);
  const nextToken = start + maxResults < matching.length ? encodeToken(start + maxResults) : undefined;
  return { taskArns: page.map((t) => t.taskArn), nextToken };
}

const encodeToken = (offset: number): string => Buffer.from(`ecs-offset:${offset}`).toString('base64');

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^ecs-offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new EcsApiError('InvalidParameterException', 'Invalid nextToken');
  return Number(match[1]);
}
