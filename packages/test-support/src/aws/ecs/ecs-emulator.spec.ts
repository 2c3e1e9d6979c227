import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  paginateListTasks,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { acceptedThenThrottled } from '../shared/faults';
import { startEcsEmulator } from './ecs-emulator';
import type { EcsEmulatorHandle, EcsStateChange } from './types';
import { FARGATE_CAPACITY_REASON } from './world';

const runInput = (extra: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput => ({
  cluster: 'runners',
  taskDefinition: 'hangar-runner',
  launchType: 'FARGATE',
  startedBy: 'hangar',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
  },
  overrides: {
    containerOverrides: [{ name: 'runner', environment: [{ name: 'HANGAR_RUNNER_ID', value: 'r-1' }] }],
  },
  tags: [{ key: 'hangar:runner-id', value: 'r-1' }],
  ...extra,
});

describe('ECS emulator (Fargate) through the real SDK', () => {
  let ecs: EcsEmulatorHandle;
  let client: ECSClient;
  const run = async (extra: Partial<RunTaskCommandInput> = {}) =>
    client.send(new RunTaskCommand(runInput(extra)));
  beforeEach(async () => {
    ecs = await startEcsEmulator({ clusters: ['runners'] });
    ecs.registerTaskDefinition('hangar-runner');
    client = new ECSClient({
      endpoint: ecs.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await ecs.close();
    expect(ecs.internalErrors).toEqual([]);
  });

  it('starts a PROVISIONING Fargate task with its environment, tags and network settings', async () => {
    const out = await run();
    expect(out.failures).toEqual([]);
    const task = out.tasks?.[0];
    expect(task?.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/runners\/[0-9a-f]{32}$/);
    expect(task).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      startedBy: 'hangar',
    });
    expect(task?.createdAt).toBeInstanceOf(Date);
    expect(ecs.tasks()[0]).toMatchObject({
      environment: { runner: { HANGAR_RUNNER_ID: 'r-1' } },
      tags: { 'hangar:runner-id': 'r-1' },
      subnets: ['subnet-a'],
      securityGroups: ['sg-1'],
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hangar-runner:1',
    });
  });

  it('replays the first RunTask response for a repeated clientToken and starts one task', async () => {
    const first = await run({ clientToken: 'tok' });
    const again = await Promise.all([1, 2, 3].map(() => run({ clientToken: 'tok' })));
    for (const out of again) expect(out.tasks?.[0]?.taskArn).toBe(first.tasks?.[0]?.taskArn);
    expect(ecs.tasks()).toHaveLength(1);
  });

  it('reports missing capacity as a RunTask failure, per capacity provider', async () => {
    ecs.setCapacity(0, { provider: 'FARGATE_SPOT' });
    const spot = await run({
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    expect(spot.tasks).toEqual([]);
    expect(spot.failures?.[0]?.reason).toBe(FARGATE_CAPACITY_REASON);
    const onDemand = await run();
    expect(onDemand.tasks?.[0]?.capacityProviderName).toBe('FARGATE');
  });

  it('rejects unknown clusters, task definitions and container names with ECS error types', async () => {
    await expect(run({ cluster: 'nope' })).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(run({ taskDefinition: 'missing' })).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      run({ overrides: { containerOverrides: [{ name: 'other', environment: [] }] } }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(run({ networkConfiguration: undefined })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('stops idempotently: DEPROVISIONING, then STOPPED after time advances, then unchanged', async () => {
    const arn = (await run()).tasks?.[0]?.taskArn ?? '';
    const stopped = await client.send(
      new StopTaskCommand({ cluster: 'runners', task: arn, reason: 'scale down' }),
    );
    expect(stopped.task).toMatchObject({
      desiredStatus: 'STOPPED',
      lastStatus: 'DEPROVISIONING',
      stoppedReason: 'scale down',
    });
    ecs.advance();
    const again = await client.send(new StopTaskCommand({ cluster: 'runners', task: arn }));
    expect(again.task?.lastStatus).toBe('STOPPED');
    await expect(
      client.send(
        new StopTaskCommand({
          cluster: 'runners',
          task: 'arn:aws:ecs:us-east-1:123456789012:task/runners/0000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('describes tasks with tags on request, advancing status, and reports unknown ARNs as MISSING', async () => {
    const arn = (await run()).tasks?.[0]?.taskArn ?? '';
    const missing = 'arn:aws:ecs:us-east-1:123456789012:task/runners/ffff';
    const out = await client.send(
      new DescribeTasksCommand({ cluster: 'runners', tasks: [arn, missing], include: ['TAGS'] }),
    );
    expect(out.tasks?.[0]).toMatchObject({
      lastStatus: 'PENDING',
      tags: [{ key: 'hangar:runner-id', value: 'r-1' }],
    });
    expect(out.failures).toEqual([{ arn: missing, reason: 'MISSING' }]);
    const plain = await client.send(new DescribeTasksCommand({ cluster: 'runners', tasks: [arn] }));
    expect(plain.tasks?.[0]?.lastStatus).toBe('RUNNING');
    expect(plain.tasks?.[0]?.tags).toBeUndefined();
  });

  it('lists tasks by startedBy in pages, recently stopped ones included, and by desired status', async () => {
    const arns = [];
    for (let i = 0; i < 5; i += 1) arns.push((await run()).tasks?.[0]?.taskArn ?? '');
    await run({ startedBy: 'someone-else' });
    await client.send(new StopTaskCommand({ cluster: 'runners', task: arns[0] }));
    const listed: string[] = [];
    for await (const page of paginateListTasks(
      { client, pageSize: 2 },
      { cluster: 'runners', startedBy: 'hangar', maxResults: 2 },
    )) {
      listed.push(...(page.taskArns ?? []));
    }
    // ListTasks documents that recently stopped tasks may appear; a startedBy listing has no
    // desiredStatus filter to leave them out, so the emulator returns them.
    expect(listed).toEqual(arns);
    const stopped = await client.send(new ListTasksCommand({ cluster: 'runners', desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns).toEqual([arns[0]]);
  });

  it.each([
    ['desiredStatus', { desiredStatus: 'RUNNING' as const }],
    ['family', { family: 'hangar-runner' }],
    ['launchType', { launchType: 'FARGATE' as const }],
    ['serviceName', { serviceName: 'svc' }],
    ['containerInstance', { containerInstance: 'ci-1' }],
  ])(
    'rejects startedBy combined with %s, as ECS requires startedBy to be the only filter',
    async (_, extra) => {
      await run();
      await expect(
        client.send(new ListTasksCommand({ cluster: 'runners', startedBy: 'hangar', ...extra })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringContaining('startedBy'),
      });
    },
  );

  it('refuses more than 50 tags and a startedBy ECS would not accept, with InvalidParameterException', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(run({ tags })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(run({ startedBy: 'x'.repeat(129) })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(run({ startedBy: 'has spaces' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(ecs.tasks()).toEqual([]);
  });

  it('lists nothing for desiredStatus PENDING, a status ECS never sets as desired', async () => {
    await run();
    const pending = await client.send(new ListTasksCommand({ cluster: 'runners', desiredStatus: 'PENDING' }));
    expect(pending.taskArns).toEqual([]);
  });

  it('tells observers about every status change and answers injected faults', async () => {
    const changes: EcsStateChange[] = [];
    ecs.onStateChange((c) => changes.push(c));
    const arn = (await run()).tasks?.[0]?.taskArn ?? '';
    ecs.setTaskStatus(arn, 'STOPPED', {
      stopCode: 'SpotInterruption',
      stoppedReason: 'Your Spot Task was interrupted.',
    });
    expect(changes.map((c) => [c.previousStatus, c.lastStatus, c.cause])).toEqual([
      [null, 'PROVISIONING', 'run'],
      ['PROVISIONING', 'STOPPED', 'spot-interruption'],
    ]);
    ecs.faults.add({ action: 'RunTask', code: 'ThrottlingException', message: 'Rate exceeded' });
    await expect(run()).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ecs.calls().map((c) => c.action)).toEqual(['RunTask', 'RunTask']);
  });

  it('applies an accepted-then-throttled RunTask: the task starts, the caller hears a 500, then throttling', async () => {
    for (const fault of acceptedThenThrottled('RunTask', 'ThrottlingException', 1)) ecs.faults.add(fault);
    await expect(run({ clientToken: 'lost-answer' })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    expect(ecs.tasks()).toHaveLength(1);
    await expect(run({ clientToken: 'lost-answer' })).rejects.toMatchObject({ name: 'ThrottlingException' });
    const replay = await run({ clientToken: 'lost-answer' });
    expect(replay.tasks?.[0]?.taskArn).toBe(ecs.tasks()[0]?.taskArn);
    expect(ecs.tasks()).toHaveLength(1);
  });
});
