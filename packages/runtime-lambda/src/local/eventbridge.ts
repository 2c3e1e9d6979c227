import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Ec2StateChange } from '@hangar/test-support/aws/ec2';
import type { EcsStateChange, EcsTask } from '@hangar/test-support/aws/ecs';

/** Every EventBridge event the instance-events handler subscribes to, in AWS's shapes. */
export type InstanceEventBridgeEvent =
  | EventBridgeEvent<'EC2 Instance State-change Notification', { 'instance-id': string; state: string }>
  | EventBridgeEvent<
      'EC2 Spot Instance Interruption Warning',
      { 'instance-id': string; 'instance-action': 'terminate' }
    >
  | EventBridgeEvent<
      'ECS Task State Change',
      {
        taskArn: string;
        clusterArn: string;
        lastStatus: string;
        desiredStatus: string;
        stoppedReason?: string;
        stopCode?: string;
        group?: string;
        startedBy?: string;
      }
    >;

const ACCOUNT = '000000000000';

function envelope(region: string, at: Date, resources: string[]) {
  return {
    version: '0',
    id: randomUUID(),
    account: ACCOUNT,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources,
  };
}

/**
 * What EventBridge delivers for one EC2 emulator state change. A spot interruption starts with
 * AWS's two-minute warning; the state changes themselves follow as usual.
 */
export function ec2Events(change: Ec2StateChange, region: string): InstanceEventBridgeEvent[] {
  const arn = `arn:aws:ec2:${region}:${ACCOUNT}:instance/${change.instanceId}`;
  const events: InstanceEventBridgeEvent[] = [];
  if (change.cause === 'spot-interruption') {
    events.push({
      ...envelope(region, change.at, [arn]),
      source: 'aws.ec2',
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      detail: { 'instance-id': change.instanceId, 'instance-action': 'terminate' },
    });
  }
  events.push({
    ...envelope(region, change.at, [arn]),
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    detail: { 'instance-id': change.instanceId, state: change.state },
  });
  return events;
}

/** What EventBridge delivers for one ECS task status change. */
export function ecsEvent(
  change: EcsStateChange,
  task: EcsTask | undefined,
  region: string,
): InstanceEventBridgeEvent {
  return {
    ...envelope(region, change.at, [change.taskArn]),
    source: 'aws.ecs',
    'detail-type': 'ECS Task State Change',
    detail: {
      taskArn: change.taskArn,
      clusterArn: change.clusterArn,
      lastStatus: change.lastStatus,
      desiredStatus: change.desiredStatus,
      ...(task?.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
      ...(task?.stopCode ? { stopCode: task.stopCode } : {}),
      ...(task?.group ? { group: task.group } : {}),
      ...(task?.startedBy ? { startedBy: task.startedBy } : {}),
    },
  };
}
