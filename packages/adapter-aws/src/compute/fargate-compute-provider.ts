import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  paginateListTasks,
  type ECSClient,
  type Failure,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DependencyError,
  InstanceId,
  PoolId,
  RunnerId,
  type ComputeInstanceView,
  type ComputeProvider,
  type DescribedMachine,
  type LaunchedMachine,
  type LaunchRequest,
  type LaunchResult,
} from '@hangar/core';
import { awsErrorInfo, dependencyError, failed, launchCallFailure, unknownOutcome } from './aws-errors';
import { classifyFailure, runTaskInput } from './fargate-request';
import type { FargatePoolSettings } from './pool-settings';
import { launchedBy, type MachineTagging } from './tags';

export interface FargateComputeProviderOptions {
  /** Build it with `COMPUTE_CLIENT_RETRY` (bounded SDK retries). */
  readonly client: ECSClient;
  readonly pools: ReadonlyMap<PoolId, FargatePoolSettings>;
  readonly tagPrefix?: string;
  /**
   * This deployment's name, tagged on every task it starts: `list` returns only those, so two
   * deployments sharing a cluster never take each other's tasks for orphans.
   */
  readonly deployment: string;
  /** ECS `startedBy` marker that `list` selects on (default `hangar`). */
  readonly startedBy?: string;
  readonly clock?: () => Date;
}

const VIEW_STATE: Readonly<Record<string, ComputeInstanceView['state']>> = {
  PROVISIONING: 'pending',
  PENDING: 'pending',
  ACTIVATING: 'pending',
  RUNNING: 'running',
  DEACTIVATING: 'stopping',
  STOPPING: 'stopping',
  DEPROVISIONING: 'stopping',
  STOPPED: 'terminated',
  DELETED: 'terminated',
};

/** The cluster name inside a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
function clusterOf(taskArn: string): string | undefined {
  return /^arn:[^:]+:ecs:[^:]*:\d*:task\/([^/]+)\/[^/]+$/.exec(taskArn)?.[1];
}

/**
 * Runner machines as Fargate tasks. The instance id is the task ARN; a retried launch reuses
 * the clientToken derived from its idempotency key, so it never starts a second task.
 */
export class FargateComputeProvider implements ComputeProvider {
  readonly kind = 'fargate' as const;
  private readonly tagPrefix: string;
  private readonly startedBy: string;
  private readonly tagging: MachineTagging;
  private readonly clock: () => Date;

  constructor(private readonly options: FargateComputeProviderOptions) {
    this.tagPrefix = options.tagPrefix ?? 'hangar';
    this.startedBy = options.startedBy ?? 'hangar';
    this.tagging = { prefix: this.tagPrefix, deployment: options.deployment };
    this.clock = options.clock ?? (() => new Date());
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const pool = this.options.pools.get(request.poolId);
    if (!pool) {
      return failed(
        { reason: 'invalid-configuration', retryable: false },
        [],
        `No Fargate settings for pool ${request.poolId}`,
      );
    }
    try {
      const output = await this.options.client.send(
        new RunTaskCommand(runTaskInput(pool, request, this.tagging, this.startedBy)),
      );
      const task = output.tasks?.[0];
      if (task?.taskArn) {
        return {
          outcome: 'launched',
          instanceId: InstanceId(task.taskArn),
          instanceType: null,
          capacityType: 'fargate',
        };
      }
      return this.failureOf(output.failures ?? []);
    } catch (error) {
      return launchCallFailure(error, 'RunTask');
    }
  }

  /**
   * ECS cannot filter tasks by tag: the pool's cluster's tasks started by Hangar (running and
   * stopped ones, which a startedBy listing includes for about an hour) are described with
   * their tags.
   */
  async findByLaunchKey(poolId: PoolId, idempotencyKey: string): Promise<LaunchedMachine | null> {
    const pool = this.options.pools.get(poolId);
    if (!pool) return null;
    const arns = await this.listArns(pool.cluster);
    for (let i = 0; i < arns.length; i += 100) {
      const tasks = await this.describe(pool.cluster, arns.slice(i, i + 100));
      const task = tasks.find(
        (t) =>
          t.tags?.find((tag) => tag.key === `${this.tagPrefix}:launch-key`)?.value === idempotencyKey &&
          this.launchedHere(t),
      );
      const view = task ? this.toView(task) : undefined;
      if (view)
        return {
          instanceId: view.instanceId,
          instanceType: null,
          capacityType: 'fargate',
          state: view.state,
        };
    }
    return null;
  }

  /** A task ARN names its cluster; anything else (an EC2 instance id) is no task of ours. */
  async findByInstanceId(instanceId: InstanceId): Promise<DescribedMachine | null> {
    const cluster = clusterOf(instanceId);
    if (!cluster) return null;
    // A task ECS no longer knows comes back as a `MISSING` failure, not as a task.
    const [task] = await this.describe(cluster, [instanceId]);
    const view = task && this.launchedHere(task) ? this.toView(task) : undefined;
    const launchKey = task?.tags?.find((tag) => tag.key === `${this.tagPrefix}:launch-key`)?.value;
    if (!view?.runnerId || !view.poolId || !launchKey) return null;
    const { runnerId, poolId, state } = view;
    return {
      instanceId: view.instanceId,
      instanceType: null,
      capacityType: 'fargate',
      state,
      runnerId,
      poolId,
      launchKey,
      spotReclaimed: task?.stopCode === 'SpotInterruption',
    };
  }

  async terminate(instanceId: InstanceId): Promise<void> {
    const cluster = clusterOf(instanceId);
    if (!cluster) {
      throw new DependencyError(
        'ecs',
        'StopTask',
        `${instanceId} is not an ECS task ARN with a cluster (do not retry)`,
        false,
      );
    }
    try {
      await this.options.client.send(
        new StopTaskCommand({ cluster, task: instanceId, reason: 'Terminated by Hangar' }),
      );
    } catch (error) {
      const info = awsErrorInfo(error);
      // ECS answers a task it no longer knows with InvalidParameterException "…task was not found".
      if (info.code === 'InvalidParameterException' && /not found/i.test(info.message)) return;
      throw dependencyError('ecs', 'StopTask', error);
    }
  }

  async list(): Promise<readonly ComputeInstanceView[]> {
    const clusters = [...new Set([...this.options.pools.values()].map((p) => p.cluster))];
    const views: ComputeInstanceView[] = [];
    for (const cluster of clusters) {
      const arns = await this.listArns(cluster);
      for (let i = 0; i < arns.length; i += 100) {
        const tasks = await this.describe(cluster, arns.slice(i, i + 100));
        // A startedBy listing includes recently stopped tasks: keep those ECS still wants running.
        // ECS cannot filter by tag, and a shared cluster holds other deployments' tasks.
        const live = tasks.filter((t) => t.desiredStatus !== 'STOPPED' && this.launchedHere(t));
        views.push(
          ...live.map((t) => this.toView(t)).filter((v): v is ComputeInstanceView => v !== undefined),
        );
      }
    }
    return views;
  }

  private failureOf(failures: readonly Failure[]): LaunchResult {
    if (failures.length === 0) return unknownOutcome('RunTask returned neither a task nor failures');
    const reasons = [...new Set(failures.map((f) => f.reason ?? 'Unknown'))];
    const classes = reasons.map(classifyFailure);
    const cls = classes.find((c) => c.retryable) ?? classes[0] ?? { reason: 'unknown', retryable: true };
    const detail = failures
      .map((f) => `${f.reason ?? 'Unknown'}${f.detail ? ` (${f.detail})` : ''}`)
      .join('; ');
    return failed(cls, reasons, `RunTask started nothing: ${detail}`);
  }

  /**
   * Every task Hangar started in `cluster`. ECS refuses `startedBy` beside any other filter
   * (desiredStatus included), so stopped tasks come back too and `list` drops them after
   * DescribeTasks; they stay listed about an hour, a bounded extra describe.
   */
  private async listArns(cluster: string): Promise<string[]> {
    const arns: string[] = [];
    try {
      const pages = paginateListTasks(
        { client: this.options.client, pageSize: 100 },
        { cluster, startedBy: this.startedBy, maxResults: 100 },
      );
      for await (const page of pages) arns.push(...(page.taskArns ?? []));
    } catch (error) {
      throw dependencyError('ecs', 'ListTasks', error);
    }
    return arns;
  }

  private async describe(cluster: string, tasks: string[]): Promise<Task[]> {
    try {
      const output = await this.options.client.send(
        new DescribeTasksCommand({ cluster, tasks, include: ['TAGS'] }),
      );
      return output.tasks ?? [];
    } catch (error) {
      throw dependencyError('ecs', 'DescribeTasks', error);
    }
  }

  private launchedHere(task: Task): boolean {
    return launchedBy(this.tagging, (key) => task.tags?.find((t) => t.key === key)?.value);
  }

  private toView(task: Task): ComputeInstanceView | undefined {
    if (!task.taskArn) return undefined;
    const tag = (key: string) => task.tags?.find((t) => t.key === `${this.tagPrefix}:${key}`)?.value;
    const runnerId = tag('runner-id');
    const poolId = tag('pool-id');
    return {
      instanceId: InstanceId(task.taskArn),
      runnerId: runnerId ? RunnerId(runnerId) : null,
      poolId: poolId ? PoolId(poolId) : null,
      state: VIEW_STATE[task.lastStatus ?? ''] ?? 'pending',
      launchedAt: (task.createdAt ?? this.clock()).toISOString(),
    };
  }
}
