import { afterEach, describe, expect, it } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DependencyError, InstanceId, PoolId, RunnerId, type LaunchRequest } from '@hangar/core';
import type { Ec2EmulatorHandle, QueryObject } from '@hangar/test-support/aws/ec2';
import { Ec2FleetComputeProvider } from './ec2-fleet-compute-provider';
import { POOL, ec2Fixture, ec2Pool } from './spec-fixtures';

const request = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
  runnerId: RunnerId('r-42'),
  poolId: POOL,
  idempotencyKey: 'r-42#1',
  capacityType: 'spot',
  secretPath: '/hangar/runners/r-42',
  owner: 'octo-org',
  ...overrides,
});

type Fixture = Awaited<ReturnType<typeof ec2Fixture>>;

/** The params of the last CreateFleet the emulator received. */
const lastFleet = (ec2: Ec2EmulatorHandle): QueryObject => {
  const call = ec2
    .calls()
    .filter((c) => c.action === 'CreateFleet')
    .at(-1);
  if (!call) throw new Error('no CreateFleet call');
  return call.params;
};

describe('Ec2FleetComputeProvider', () => {
  let fx: Fixture | undefined;
  const start = async (...args: Parameters<typeof ec2Fixture>) => {
    fx = await ec2Fixture(...args);
    return fx;
  };
  afterEach(async () => {
    if (!fx) return;
    await fx.close();
    expect(fx.ec2.internalErrors).toEqual([]);
    fx = undefined;
  });

  describe('launch request', () => {
    it('sends subnets × instance types as overrides, the instance type position being the priority', async () => {
      const { ec2, provider } = await start(
        ec2Pool({ instanceTypes: ['m5.large', 'c5.large', 'm6i.large'] }),
      );
      await provider.launch(request());
      const overrides = (lastFleet(ec2).LaunchTemplateConfigs as QueryObject[])[0]
        ?.Overrides as QueryObject[];
      expect(overrides.map((o) => [o.InstanceType, o.SubnetId, o.Priority])).toEqual([
        ['m5.large', 'subnet-a', '0'],
        ['m5.large', 'subnet-b', '0'],
        ['c5.large', 'subnet-a', '1'],
        ['c5.large', 'subnet-b', '1'],
        ['m6i.large', 'subnet-a', '2'],
        ['m6i.large', 'subnet-b', '2'],
      ]);
    });

    it('asks for one spot unit with the pool allocation strategy and max price for a spot launch', async () => {
      const { ec2, provider } = await start(
        ec2Pool({ spotMaxPrice: '0.09', allocationStrategy: 'capacity-optimized' }),
      );
      const result = await provider.launch(request({ capacityType: 'spot' }));
      expect(result).toMatchObject({ outcome: 'launched', capacityType: 'spot', instanceType: 'm5.large' });
      const params = lastFleet(ec2);
      expect(params).toMatchObject({
        Type: 'instant',
        TargetCapacitySpecification: {
          TotalTargetCapacity: '1',
          SpotTargetCapacity: '1',
          DefaultTargetCapacityType: 'spot',
        },
        SpotOptions: { AllocationStrategy: 'capacity-optimized' },
      });
      expect(params.OnDemandOptions).toBeUndefined();
      const overrides = (params.LaunchTemplateConfigs as QueryObject[])[0]?.Overrides as QueryObject[];
      expect(overrides.every((o) => o.MaxPrice === '0.09')).toBe(true);
      expect(ec2.instances()[0]?.lifecycle).toBe('spot');
    });

    it('asks for one on-demand unit, prioritized by default and without a max price, for an on-demand launch', async () => {
      const { ec2, provider } = await start(ec2Pool({ spotMaxPrice: '0.09' }));
      const result = await provider.launch(request({ capacityType: 'on-demand' }));
      expect(result).toMatchObject({ outcome: 'launched', capacityType: 'on-demand' });
      const params = lastFleet(ec2);
      expect(params).toMatchObject({
        TargetCapacitySpecification: { OnDemandTargetCapacity: '1', DefaultTargetCapacityType: 'on-demand' },
        OnDemandOptions: { AllocationStrategy: 'prioritized' },
      });
      expect(params.SpotOptions).toBeUndefined();
      const overrides = (params.LaunchTemplateConfigs as QueryObject[])[0]?.Overrides as QueryObject[];
      expect(overrides.some((o) => o.MaxPrice !== undefined)).toBe(false);
      expect(ec2.instances()[0]?.lifecycle).toBe('on-demand');
    });

    it('tags instance and volume with deployment, runner, pool, owner, secret path, launch key and the extra tags', async () => {
      const { ec2, provider } = await start(ec2Pool({ extraTags: { team: 'ci' } }));
      await provider.launch(request());
      const expected = {
        'hangar:deployment': 'hangar-test',
        'hangar:runner-id': 'r-42',
        'hangar:pool-id': 'linux-x64',
        'hangar:owner': 'octo-org',
        'hangar:secret-path': '/hangar/runners/r-42',
        'hangar:launch-key': request().idempotencyKey,
        team: 'ci',
      };
      expect(ec2.instances()[0]?.tags).toMatchObject(expected);
      expect(ec2.instances()[0]?.volumeTags).toEqual(expected);
    });

    it('derives a ClientToken of at most 64 characters that is the same for the same key and differs otherwise', async () => {
      const { ec2, provider } = await start();
      await provider.launch(request({ idempotencyKey: 'k'.repeat(500) }));
      await provider.launch(request({ idempotencyKey: 'k'.repeat(500) }));
      await provider.launch(request({ idempotencyKey: 'other' }));
      const tokens = ec2.calls().map((c) => c.params.ClientToken as string);
      expect(tokens[0]?.length).toBeLessThanOrEqual(64);
      expect(tokens[1]).toBe(tokens[0]);
      expect(tokens[2]).not.toBe(tokens[0]);
      expect(ec2.instances()).toHaveLength(2);
    });
  });

  describe('AMI selection', () => {
    it('launches with the AMI read from the SSM parameter through resolveImageId', async () => {
      const asked: string[] = [];
      const resolveImageId = async (name: string) => {
        asked.push(name);
        return 'ami-0fedcba9876543210';
      };
      const { ec2, provider } = await start(ec2Pool({ imageIdSsmParameter: '/hangar/ami/linux-x64' }), {
        resolveImageId,
      });
      await provider.launch(request());
      expect(asked).toEqual(['/hangar/ami/linux-x64']);
      expect(ec2.instances()[0]?.imageId).toBe('ami-0fedcba9876543210');
    });

    it('uses the launch template AMI when the pool names none', async () => {
      const { ec2, provider } = await start();
      await provider.launch(request());
      expect(ec2.instances()[0]?.imageId).toBe('ami-0123456789abcdef0');
    });

    it('fails retryably without calling EC2 when the AMI parameter cannot be read', async () => {
      const resolveImageId = async (): Promise<string> => {
        throw new DependencyError('ssm', 'GetParameter', 'throttled', true);
      };
      const { ec2, provider } = await start(ec2Pool({ imageIdSsmParameter: '/p' }), { resolveImageId });
      const result = await provider.launch(request());
      expect(result).toMatchObject({ outcome: 'failed', reason: 'dependency-unavailable', retryable: true });
      expect(ec2.calls()).toEqual([]);
    });

    it('fails as invalid configuration when an AMI parameter is set but no resolver was given', async () => {
      const { provider } = await start(ec2Pool({ imageIdSsmParameter: '/p' }));
      expect(await provider.launch(request())).toMatchObject({
        reason: 'invalid-configuration',
        retryable: false,
      });
    });
  });

  describe('launch failures', () => {
    it('launches another instance type when the first has no capacity (partial errors are not a failure)', async () => {
      const { ec2, provider } = await start();
      ec2.setCapacity({ market: 'spot', instanceType: 'm5.large', available: 0 });
      expect(await provider.launch(request())).toMatchObject({
        outcome: 'launched',
        instanceType: 'c5.large',
      });
    });

    it('classifies all-override capacity errors as retryable insufficient-capacity with the raw codes and where each was reported', async () => {
      const { ec2, provider } = await start();
      ec2.setCapacity({ market: 'spot', instanceType: 'm5.large', available: 0 });
      ec2.setCapacity({
        market: 'spot',
        instanceType: 'c5.large',
        available: 0,
        errorCode: 'UnfulfillableCapacity',
      });
      const result = await provider.launch(request());
      expect(result).toMatchObject({
        outcome: 'failed',
        reason: 'insufficient-capacity',
        retryable: true,
        errorCodes: ['InsufficientInstanceCapacity', 'UnfulfillableCapacity'],
      });
      expect(result.outcome === 'failed' && result.detail).toContain('m5.large in subnet-a');
      // Where each error was reported, so `hangar job` can name the instance types and subnets.
      const placements = result.outcome === 'failed' ? result.placements : undefined;
      expect(placements).toEqual(
        expect.arrayContaining([
          { errorCode: 'UnfulfillableCapacity', instanceType: 'c5.large', subnetId: 'subnet-a' },
          { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm5.large', subnetId: 'subnet-b' },
        ]),
      );
    });

    it('classifies a spot price below the market as insufficient-capacity', async () => {
      const { ec2, provider } = await start(ec2Pool({ spotMaxPrice: '0.001' }));
      ec2.setSpotPrice('m5.large', '0.05');
      expect(await provider.launch(request())).toMatchObject({
        reason: 'insufficient-capacity',
        errorCodes: ['SpotMaxPriceTooLow'],
      });
    });

    it('classifies vCPU limits as retryable quota-exceeded', async () => {
      const { ec2, provider } = await start();
      ec2.setCapacity({ market: 'on-demand', available: 0, errorCode: 'VcpuLimitExceeded' });
      expect(await provider.launch(request({ capacityType: 'on-demand' }))).toMatchObject({
        reason: 'quota-exceeded',
        retryable: true,
        errorCodes: ['VcpuLimitExceeded'],
      });
    });

    it('classifies a missing launch template as non-retryable invalid-configuration', async () => {
      const { provider } = await start(ec2Pool({ launchTemplateName: 'deleted-template' }));
      expect(await provider.launch(request())).toMatchObject({
        reason: 'invalid-configuration',
        retryable: false,
        errorCodes: ['InvalidLaunchTemplateName.NotFoundException'],
      });
    });

    it('turns throttling that outlasts the SDK retries into an unknown outcome (an earlier call may have been accepted) after 3 attempts', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'CreateFleet',
        code: 'RequestLimitExceeded',
        message: 'Request limit exceeded.',
        httpStatus: 503,
        times: 3,
      });
      expect(await provider.launch(request())).toMatchObject({
        outcome: 'unknown',
        reason: 'throttled',
        errorCodes: ['RequestLimitExceeded'],
      });
      expect(ec2.calls().filter((c) => c.action === 'CreateFleet')).toHaveLength(3);
    });

    it('succeeds when throttling clears within the SDK retries', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'CreateFleet',
        code: 'RequestLimitExceeded',
        message: 'slow down',
        httpStatus: 503,
        times: 1,
      });
      expect(await provider.launch(request())).toMatchObject({ outcome: 'launched' });
      expect(ec2.instances()).toHaveLength(1);
    });

    it('turns persistent 5xx answers into an unknown dependency-unavailable outcome', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'CreateFleet',
        code: 'InternalError',
        message: 'An internal error has occurred',
        httpStatus: 500,
        times: 3,
      });
      expect(await provider.launch(request())).toMatchObject({
        outcome: 'unknown',
        reason: 'dependency-unavailable',
      });
    });

    it('turns a refused connection into an unknown dependency-unavailable outcome', async () => {
      const { ec2 } = await start();
      const endpoint = ec2.endpoint;
      await fx?.close();
      fx = undefined;
      const client = new EC2Client({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      });
      const provider = new Ec2FleetComputeProvider({
        client,
        deployment: 'hangar-test',
        pools: new Map([[POOL, ec2Pool()]]),
      });
      expect(await provider.launch(request())).toMatchObject({
        outcome: 'unknown',
        reason: 'dependency-unavailable',
      });
      await expect(provider.list()).rejects.toMatchObject({ name: 'DependencyError', retryable: true });
      client.destroy();
    });

    it('classifies a permissions error as non-retryable invalid-configuration', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'CreateFleet',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized',
      });
      expect(await provider.launch(request())).toMatchObject({
        reason: 'invalid-configuration',
        retryable: false,
      });
    });

    it('refuses a Fargate capacity type for an EC2 pool without calling EC2', async () => {
      const { ec2, provider } = await start();
      expect(await provider.launch(request({ capacityType: 'fargate' }))).toMatchObject({ retryable: false });
      expect(await provider.launch(request({ poolId: PoolId('other') }))).toMatchObject({
        reason: 'invalid-configuration',
      });
      expect(ec2.calls()).toEqual([]);
    });
  });

  describe('terminate and list', () => {
    it('treats an instance EC2 no longer knows as terminated', async () => {
      const { provider } = await start();
      await expect(provider.terminate(InstanceId('i-0123456789abcdef0'))).resolves.toBeUndefined();
    });

    it('throws a non-retryable DependencyError when termination is not allowed', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({ action: 'TerminateInstances', code: 'UnauthorizedOperation', message: 'no' });
      const error = await provider.terminate(InstanceId('i-0123456789abcdef0')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ retryable: false, dependency: 'ec2', operation: 'TerminateInstances' });
    });

    it('lists only tagged live machines, with their states and launch times', async () => {
      const { ec2, provider } = await start();
      const a = await provider.launch(request({ runnerId: RunnerId('a'), idempotencyKey: 'a' }));
      const b = await provider.launch(request({ runnerId: RunnerId('b'), idempotencyKey: 'b' }));
      const c = await provider.launch(request({ runnerId: RunnerId('c'), idempotencyKey: 'c' }));
      const ids = [a, b, c].map((r) => (r.outcome === 'launched' ? r.instanceId : 'none'));
      ec2.setState(ids[1] ?? '', 'stopped');
      await provider.terminate(InstanceId(ids[2] ?? ''));
      const views = await provider.list();
      expect(views.map((v) => [v.runnerId, v.poolId, v.state]).sort()).toEqual([
        ['a', 'linux-x64', 'running'],
        ['b', 'linux-x64', 'stopped'],
      ]);
      expect(views[0]?.launchedAt).toBe(ec2.instances()[0]?.launchTime.toISOString());
    });

    it('throws a retryable DependencyError when a launch key lookup keeps failing', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'DescribeInstances',
        code: 'RequestLimitExceeded',
        message: 'slow',
        httpStatus: 503,
        times: 3,
      });
      await expect(provider.findByLaunchKey(POOL, 'k-1')).rejects.toMatchObject({
        name: 'DependencyError',
        retryable: true,
        operation: 'DescribeInstances',
      });
    });

    it('throws a retryable DependencyError when DescribeInstances keeps failing with 5xx', async () => {
      const { ec2, provider } = await start();
      ec2.faults.add({
        action: 'DescribeInstances',
        code: 'Unavailable',
        message: 'down',
        httpStatus: 503,
        times: 3,
      });
      await expect(provider.list()).rejects.toMatchObject({
        name: 'DependencyError',
        retryable: true,
        operation: 'DescribeInstances',
      });
    });
  });
});
