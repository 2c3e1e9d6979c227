import {
  CreateFleetCommand,
  DescribeInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import {
  ConfigurationError,
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
import {
  awsErrorInfo,
  dependencyError,
  failed,
  launchCallFailure,
  launchFailureFromError,
} from './aws-errors';
import { createFleetInput, interpretFleet } from './ec2-fleet-request';
import type { MachineTagging } from './tags';
import type { Ec2PoolSettings } from './pool-settings';

export interface Ec2FleetComputeProviderOptions {
  /** Build it with `COMPUTE_CLIENT_RETRY` (bounded SDK retries). */
  readonly client: EC2Client;
  readonly pools: ReadonlyMap<PoolId, Ec2PoolSettings>;
  /** Reads an AMI id from an SSM parameter (the SSM adapter's parameter reader). */
  readonly resolveImageId?: (parameterName: string) => Promise<string>;
  readonly tagPrefix?: string;
  /**
   * This deployment's name, tagged on every machine it launches: `list` returns only those, so
   * two deployments in one account never take each other's machines for orphans.
   */
  readonly deployment: string;
  /** Fallback launch time for instances EC2 reports without one. */
  readonly clock?: () => Date;
}

/** Machines that exist or may still come back; shutting-down/terminated ones are gone for us. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

const VIEW_STATE: Readonly<Record<string, ComputeInstanceView['state']>> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'stopping',
  terminated: 'terminated',
};

/**
 * Runner machines as EC2 instances, one instant fleet per launch. A retried launch reuses
 * the ClientToken derived from its idempotency key, so it can never start a second machine,
 * and the key is tagged, so a machine whose launch answer was lost is found by it.
 */
export class Ec2FleetComputeProvider implements ComputeProvider {
  readonly kind = 'ec2' as const;
  private readonly tagPrefix: string;
  private readonly tagging: MachineTagging;
  private readonly clock: () => Date;

  constructor(private readonly options: Ec2FleetComputeProviderOptions) {
    this.tagPrefix = options.tagPrefix ?? 'hangar';
    this.tagging = { prefix: this.tagPrefix, deployment: options.deployment };
    this.clock = options.clock ?? (() => new Date());
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const pool = this.options.pools.get(request.poolId);
    if (!pool) {
      return failed(
        { reason: 'invalid-configuration', retryable: false },
        [],
        `No EC2 settings for pool ${request.poolId}`,
      );
    }
    const capacityType = request.capacityType;
    if (capacityType === 'fargate') {
      return failed(
        { reason: 'invalid-configuration', retryable: false },
        [],
        `Pool ${request.poolId} launches EC2, not Fargate`,
      );
    }
    let imageId: string | undefined;
    try {
      imageId = await this.imageIdFor(pool);
    } catch (error) {
      return launchFailureFromError(error, 'Resolving the AMI id');
    }
    try {
      const input = createFleetInput(pool, { ...request, capacityType }, imageId, this.tagging);
      const output = await this.options.client.send(new CreateFleetCommand(input));
      return interpretFleet(output, capacityType);
    } catch (error) {
      return launchCallFailure(error, 'CreateFleet');
    }
  }

  async findByLaunchKey(_poolId: PoolId, idempotencyKey: string): Promise<LaunchedMachine | null> {
    const instances = await this.describeInstances([
      { Name: `tag:${this.tagPrefix}:launch-key`, Values: [idempotencyKey] },
    ]);
    // One key starts one instance (ClientToken); prefer a live one should EC2 list a leftover.
    const instance =
      instances.find((i) => LIVE_STATES.includes(i.State?.Name ?? '')) ?? instances.find((i) => i.InstanceId);
    return instance ? this.toMachine(instance) : null;
  }

  /**
   * By an `instance-id` filter, not `InstanceIds`: an id EC2 does not know (or one that is not an
   * instance id at all, e.g. a task ARN) is then an empty answer rather than an error.
   */
  async findByInstanceId(instanceId: InstanceId): Promise<DescribedMachine | null> {
    const [instance] = await this.describeInstances([{ Name: 'instance-id', Values: [instanceId] }]);
    const machine = instance ? this.toMachine(instance) : null;
    const view = instance ? this.toView(instance) : undefined;
    const launchKey = instance?.Tags?.find((t) => t.Key === `${this.tagPrefix}:launch-key`)?.Value;
    if (!machine || !view?.runnerId || !view.poolId || !launchKey) return null;
    // The reason of the latest state change; a reclaimed spot instance keeps it while listed.
    const spotReclaimed = instance?.StateReason?.Code === 'Server.SpotInstanceTermination';
    return { ...machine, runnerId: view.runnerId, poolId: view.poolId, launchKey, spotReclaimed };
  }

  /** This deployment's instances matching `filters` (a single page: callers ask for one machine). */
  private async describeInstances(filters: { Name: string; Values: string[] }[]): Promise<Instance[]> {
    try {
      const output = await this.options.client.send(
        new DescribeInstancesCommand({
          Filters: [
            ...filters,
            { Name: `tag:${this.tagPrefix}:deployment`, Values: [this.options.deployment] },
          ],
        }),
      );
      return (output.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
    } catch (error) {
      throw dependencyError('ec2', 'DescribeInstances', error);
    }
  }

  private toMachine(instance: Instance): LaunchedMachine | null {
    if (!instance.InstanceId) return null;
    return {
      instanceId: InstanceId(instance.InstanceId),
      instanceType: instance.InstanceType ?? null,
      capacityType: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
      state: VIEW_STATE[instance.State?.Name ?? ''] ?? 'pending',
    };
  }

  async terminate(instanceId: InstanceId): Promise<void> {
    try {
      await this.options.client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    } catch (error) {
      // AWS forgets terminated instances after about an hour: gone is what we wanted.
      if (awsErrorInfo(error).code === 'InvalidInstanceID.NotFound') return;
      throw dependencyError('ec2', 'TerminateInstances', error);
    }
  }

  async list(): Promise<readonly ComputeInstanceView[]> {
    const views: ComputeInstanceView[] = [];
    try {
      const pages = paginateDescribeInstances(
        { client: this.options.client, pageSize: 1000 },
        {
          Filters: [
            { Name: 'tag-key', Values: [`${this.tagPrefix}:runner-id`] },
            { Name: `tag:${this.tagPrefix}:deployment`, Values: [this.options.deployment] },
            { Name: 'instance-state-name', Values: LIVE_STATES },
          ],
          MaxResults: 1000,
        },
      );
      for await (const page of pages) {
        for (const reservation of page.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) {
            const view = this.toView(instance);
            if (view) views.push(view);
          }
        }
      }
    } catch (error) {
      throw dependencyError('ec2', 'DescribeInstances', error);
    }
    return views;
  }

  private toView(instance: Instance): ComputeInstanceView | undefined {
    if (!instance.InstanceId) return undefined;
    const tag = (key: string) => instance.Tags?.find((t) => t.Key === `${this.tagPrefix}:${key}`)?.Value;
    const runnerId = tag('runner-id');
    const poolId = tag('pool-id');
    return {
      instanceId: InstanceId(instance.InstanceId),
      runnerId: runnerId ? RunnerId(runnerId) : null,
      poolId: poolId ? PoolId(poolId) : null,
      state: VIEW_STATE[instance.State?.Name ?? ''] ?? 'pending',
      launchedAt: (instance.LaunchTime ?? this.clock()).toISOString(),
    };
  }

  private async imageIdFor(pool: Ec2PoolSettings): Promise<string | undefined> {
    if (pool.imageId) return pool.imageId;
    if (!pool.imageIdSsmParameter) return undefined;
    if (!this.options.resolveImageId) {
      throw new ConfigurationError([
        `AMI parameter ${pool.imageIdSsmParameter} is set but the EC2 provider was given no resolveImageId`,
      ]);
    }
    return this.options.resolveImageId(pool.imageIdSsmParameter);
  }
}
