import { afterEach, describe, expect, it } from '@jest/globals';
import { DependencyError, InstanceId, PoolId, RunnerId, type LaunchRequest } from '@hangar/core';
import { ECSClient } from '@aws-sdk/client-ecs';
import { FargateComputeProvider } from './fargate-compute-provider';
import { POOL, fargateFixture, fargatePool } from './spec-fixtures';

const request = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
  runnerId: RunnerId('r-7'),
  poolId: POOL,
  idempotencyKey: 'r-7#1',
  capacityType: 'fargate',
  secretPath: '/hangar/runners/r-7',
  owner: 'octo-org',
  ...overrides,
});

type Fixture = Awaited<ReturnType<typeof fargateFixture>>;

describe('FargateComputeProvider', () => {
  let fx: Fixture | undefined;
  const start = async (...args: Parameters<typeof fargateFixture>) => {
    fx = await fargateFixture(...args);
    return fx;
  };
  afterEach(async () => {
    if (!fx) return;
    await fx.close();
    expect(fx.ecs.internalErrors).toEqual([]);
    fx = undefined;
  });

  it('runs the task with the runner environment, hangar tags, startedBy marker and network settings', async () => {
    const { ecs, provider } = await start(fargatePool({ assignPublicIp: true, extraTags: { team: 'ci' } }));
    const result = await provider.launch(request());
    const [task] = ecs.tasks();
    expect(result).toEqual({
      outcome: 'launched',
      instanceId: task?.taskArn,
      instanceType: null,
      capacityType: 'fargate',
    });
    expect(task).toMatchObject({
      startedBy: 'hangar',
      capacityProviderName: 'FARGATE',
      environment: { runner: { HANGAR_RUNNER_ID: 'r-7', HANGAR_SECRET_PATH: '/hangar/runners/r-7' } },
      tags: {
        'hangar:deployment': 'hangar-test',
        'hangar:runner-id': 'r-7',
        'hangar:pool-id': 'linux-x64',
        'hangar:owner': 'octo-org',
        'hangar:secret-path': '/hangar/runners/r-7',
        team: 'ci',
      },
      subnets: ['subnet-a'],
      securityGroups: ['sg-1'],
      assignPublicIp: 'ENABLED',
    });
    expect(ecs.calls()[0]?.params).toMatchObject({ launchType: 'FARGATE' });
    expect((ecs.calls()[0]?.params.clientToken as string).length).toBeLessThanOrEqual(64);
  });

  it("runs an existing task definition with Hangar's task role in place of its own, and leaves a generated one's alone", async () => {
    const role = 'arn:aws:iam::123456789012:role/hangar/hangar-runner-task';
    const existing = await start(fargatePool({ taskRoleArn: role }));
    await existing.provider.launch(request());
    expect(existing.ecs.calls()[0]?.params).toMatchObject({ overrides: { taskRoleArn: role } });
    await existing.close();
    fx = undefined;
    const generated = await start(fargatePool());
    await generated.provider.launch(request());
    expect(generated.ecs.calls()[0]?.params.overrides).not.toHaveProperty('taskRoleArn');
  });

  it('uses the pool capacity provider strategy instead of a launch type when one is set', async () => {
    const { ecs, provider } = await start(fargatePool({ capacityProvider: 'FARGATE_SPOT' }));
    await provider.launch(request());
    expect(ecs.calls()[0]?.params).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    expect(ecs.calls()[0]?.params.launchType).toBeUndefined();
    expect(ecs.tasks()[0]?.capacityProviderName).toBe('FARGATE_SPOT');
  });

  it('classifies RESOURCE:* failures as retryable insufficient-capacity with the raw reason', async () => {
    const { ecs, provider } = await start();
    ecs.setCapacity(0, { reason: 'RESOURCE:MEMORY' });
    expect(await provider.launch(request())).toMatchObject({
      outcome: 'failed',
      reason: 'insufficient-capacity',
      retryable: true,
      errorCodes: ['RESOURCE:MEMORY'],
    });
  });

  it('classifies an unknown task definition as non-retryable invalid-configuration', async () => {
    const { provider } = await start(fargatePool({ taskDefinition: 'deleted' }));
    expect(await provider.launch(request())).toMatchObject({
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['ClientException'],
    });
  });

  it('turns throttling that outlasts the SDK retries into an unknown outcome', async () => {
    const { ecs, provider } = await start();
    ecs.faults.add({ action: 'RunTask', code: 'ThrottlingException', message: 'Rate exceeded', times: 3 });
    expect(await provider.launch(request())).toMatchObject({ outcome: 'unknown', reason: 'throttled' });
    expect(ecs.calls()).toHaveLength(3);
  });

  it('turns persistent ServerException answers into an unknown dependency-unavailable outcome', async () => {
    const { ecs, provider } = await start();
    ecs.faults.add({
      action: 'RunTask',
      code: 'ServerException',
      message: 'boom',
      httpStatus: 500,
      times: 3,
    });
    expect(await provider.launch(request())).toMatchObject({
      outcome: 'unknown',
      reason: 'dependency-unavailable',
    });
  });

  it('reports an unknown pool as non-retryable invalid-configuration without calling ECS', async () => {
    const { ecs, provider } = await start();
    expect(await provider.launch(request({ poolId: PoolId('nope') }))).toMatchObject({
      reason: 'invalid-configuration',
      retryable: false,
    });
    expect(ecs.calls()).toEqual([]);
  });

  it('lists only its own tasks, maps their status, and drops stopped ones', async () => {
    const { ecs, provider } = await start();
    const a = await provider.launch(request({ runnerId: RunnerId('a'), idempotencyKey: 'a' }));
    const b = await provider.launch(request({ runnerId: RunnerId('b'), idempotencyKey: 'b' }));
    const c = await provider.launch(request({ runnerId: RunnerId('c'), idempotencyKey: 'c' }));
    const arns = [a, b, c].map((r) => (r.outcome === 'launched' ? r.instanceId : InstanceId('none')));
    ecs.setTaskStatus(arns[1] ?? '', 'RUNNING');
    ecs.setTaskStatus(arns[2] ?? '', 'STOPPED');
    const views = await provider.list();
    // DescribeTasks advanced a from PROVISIONING to PENDING and b is RUNNING.
    expect(views.map((v) => [v.runnerId, v.poolId, v.state]).sort()).toEqual([
      ['a', 'linux-x64', 'pending'],
      ['b', 'linux-x64', 'running'],
    ]);
    expect(views[0]?.launchedAt).toBe(ecs.tasks()[0]?.createdAt.toISOString());
  });

  it('treats a task ECS no longer knows as stopped', async () => {
    const { provider } = await start();
    await expect(
      provider.terminate(InstanceId('arn:aws:ecs:us-east-1:123456789012:task/runners/0123456789abcdef')),
    ).resolves.toBeUndefined();
  });

  it('refuses to stop an id that is not a task ARN, without retry', async () => {
    const { provider } = await start();
    const error = await provider.terminate(InstanceId('i-0123456789abcdef0')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('throws a retryable DependencyError when ECS cannot be reached', async () => {
    const { ecs } = await start();
    const endpoint = ecs.endpoint;
    await fx?.close();
    fx = undefined;
    const client = new ECSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const provider = new FargateComputeProvider({
      client,
      deployment: 'hangar-test',
      pools: new Map([[POOL, fargatePool()]]),
    });
    await expect(provider.list()).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      operation: 'ListTasks',
    });
    expect(await provider.launch(request())).toMatchObject({
      outcome: 'unknown',
      reason: 'dependency-unavailable',
    });
    client.destroy();
  });
});
