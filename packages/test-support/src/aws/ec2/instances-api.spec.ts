import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateFleetCommand,
  CreateTagsCommand,
  DescribeLaunchTemplatesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { acceptedThenThrottled } from '../shared/faults';
import { startEc2Emulator } from './ec2-emulator';
import { ec2ClientFor, fleetInput } from './spec-helpers';
import type { Ec2EmulatorHandle, Ec2StateChange } from './types';

describe('EC2 emulator instance APIs through the real SDK', () => {
  let ec2: Ec2EmulatorHandle;
  let client: EC2Client;
  const launch = async (market: 'spot' | 'on-demand' = 'on-demand', runnerId = 'r-1'): Promise<string> => {
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], market, {
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'hangar:runner-id', Value: runnerId }] }],
    });
    const out = await client.send(new CreateFleetCommand(input));
    return out.Instances?.[0]?.InstanceIds?.[0] ?? 'none';
  };
  const describeAll = async (filters: { Name: string; Values: string[] }[] = [], pageSize?: number) => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client, pageSize },
      { Filters: filters, ...(pageSize ? { MaxResults: pageSize } : {}) },
    )) {
      pages += 1;
      for (const r of page.Reservations ?? [])
        for (const i of r.Instances ?? []) ids.push(i.InstanceId ?? '');
    }
    return { ids, pages };
  };
  beforeEach(async () => {
    ec2 = await startEc2Emulator({ subnets: { 'subnet-a': 'us-east-1a' } });
    ec2.addLaunchTemplate({ name: 'runner', imageId: 'ami-0123456789abcdef0' });
    client = ec2ClientFor(ec2.endpoint);
  });
  afterEach(async () => {
    client.destroy();
    await ec2.close();
    expect(ec2.internalErrors).toEqual([]);
  });

  it('filters DescribeInstances by tag value, tag key, state and id', async () => {
    const a = await launch('on-demand', 'r-a');
    const b = await launch('on-demand', 'r-b');
    ec2.setState(b, 'stopped');
    expect((await describeAll([{ Name: 'tag:hangar:runner-id', Values: ['r-a'] }])).ids).toEqual([a]);
    expect((await describeAll([{ Name: 'tag-key', Values: ['hangar:runner-id'] }])).ids.sort()).toEqual(
      [a, b].sort(),
    );
    expect((await describeAll([{ Name: 'instance-state-name', Values: ['stopped'] }])).ids).toEqual([b]);
    expect((await describeAll([{ Name: 'instance-id', Values: [a] }])).ids).toEqual([a]);
    expect((await describeAll([{ Name: 'tag-key', Values: ['other'] }])).ids).toEqual([]);
  });

  it('pages DescribeInstances with MaxResults and NextToken until every instance was seen once', async () => {
    const launched = [];
    for (let i = 0; i < 12; i += 1) launched.push(await launch('on-demand', `r-${i}`));
    const { ids, pages } = await describeAll([], 5);
    expect(pages).toBe(3);
    expect(ids.sort()).toEqual(launched.sort());
  });

  it('rejects an unknown filter name with InvalidParameterValue', async () => {
    await expect(describeAll([{ Name: 'bogus', Values: ['x'] }])).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('terminates idempotently: shutting-down first, terminated after time advances, then terminated again', async () => {
    const id = await launch();
    const first = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(first.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
    ec2.advance();
    const again = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(again.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'terminated', Code: 48 },
      CurrentState: { Name: 'terminated', Code: 48 },
    });
  });

  it('answers TerminateInstances for an unknown id with InvalidInstanceID.NotFound, like AWS', async () => {
    await expect(
      client.send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    ).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new TerminateInstancesCommand({ InstanceIds: ['bad'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.Malformed',
    });
  });

  it('adds tags with CreateTags', async () => {
    const id = await launch();
    await client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: 'runner' }] }));
    expect(ec2.instances()[0]?.tags).toMatchObject({ Name: 'runner', 'hangar:runner-id': 'r-1' });
  });

  it('describes launch templates by name and id and rejects unknown names', async () => {
    const extra = ec2.addLaunchTemplate({ name: 'other', imageId: 'ami-0123456789abcdef1' });
    const byName = await client.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['runner'] }));
    expect(byName.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(['runner']);
    const byId = await client.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [extra.launchTemplateId] }),
    );
    expect(byId.LaunchTemplates?.[0]).toMatchObject({ LaunchTemplateName: 'other', DefaultVersionNumber: 1 });
    await expect(
      client.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['missing'] })),
    ).rejects.toMatchObject({ name: 'InvalidLaunchTemplateName.NotFoundException' });
  });

  it('tells observers about launch, spot interruption and termination', async () => {
    const changes: Ec2StateChange[] = [];
    const stop = ec2.onStateChange((c) => changes.push(c));
    const id = await launch('spot');
    ec2.interruptSpot(id);
    ec2.advance();
    stop();
    ec2.setState(id, 'terminated');
    expect(changes.map((c) => [c.previousState, c.state, c.cause])).toEqual([
      [null, 'pending', 'launch'],
      ['pending', 'shutting-down', 'spot-interruption'],
      ['shutting-down', 'terminated', 'advance'],
    ]);
    expect(ec2.instances()[0]?.stateReason).toBe('Server.SpotInstanceTermination');
  });

  it('answers an injected fault instead of the action, the given number of times, and records the calls', async () => {
    ec2.faults.add({
      action: 'DescribeInstances',
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
      httpStatus: 503,
      times: 2,
    });
    await expect(describeAll()).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { httpStatusCode: 503 },
    });
    await expect(describeAll()).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
    await expect(describeAll()).resolves.toEqual({ ids: [], pages: 1 });
    expect(ec2.calls().map((c) => c.action)).toEqual([
      'DescribeInstances',
      'DescribeInstances',
      'DescribeInstances',
    ]);
    ec2.resetCalls();
    expect(ec2.calls()).toEqual([]);
  });

  it('applies an accepted-then-throttled CreateFleet: the instance exists, the caller hears a 500, then throttling', async () => {
    for (const fault of acceptedThenThrottled('CreateFleet', 'RequestLimitExceeded', 1))
      ec2.faults.add(fault);
    const input = fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large' }], 'on-demand', {
      ClientToken: 'lost-answer',
    });
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    expect(ec2.instances()).toHaveLength(1);
    await expect(client.send(new CreateFleetCommand(input))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
    const replay = await client.send(new CreateFleetCommand(input));
    expect(replay.Instances?.[0]?.InstanceIds).toEqual([ec2.instances()[0]?.instanceId]);
    expect(ec2.instances()).toHaveLength(1);
  });

  it('records CreateFleet parameters as nested JSON with 0-based lists', async () => {
    await client.send(
      new CreateFleetCommand(
        fleetInput([{ SubnetId: 'subnet-a', InstanceType: 'm5.large', Priority: 3 }], 'spot'),
      ),
    );
    const [call] = ec2.calls();
    expect(call?.action).toBe('CreateFleet');
    expect(call?.params).toMatchObject({
      LaunchTemplateConfigs: [
        { Overrides: [{ SubnetId: 'subnet-a', InstanceType: 'm5.large', Priority: '3' }] },
      ],
      TargetCapacitySpecification: { TotalTargetCapacity: '1', DefaultTargetCapacityType: 'spot' },
    });
  });
});
