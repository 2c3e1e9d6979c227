import { toIso, type ComputeKind } from '@hangar/core';

export interface SimMachine {
  readonly id: string;
  readonly kind: ComputeKind;
  readonly runnerId: string;
  readonly poolId: string;
  readonly key: string;
  /** Where its boot script reads its secret (LaunchRequest.secretPath). */
  readonly secretPath: string;
  readonly spot: boolean;
  readonly launchedAt: number;
  state: 'pending' | 'running' | 'stopping' | 'terminated';
  runnerStage: 'booting' | 'connected' | 'no-secret' | 'dead-config';
  /** The spot warning came; the machine goes at `stopAt`. */
  interrupted: boolean;
  /** The cloud took it back (EC2's state reason `Server.SpotInstanceTermination`). */
  reclaimed: boolean;
  stopAt: number | null;
  /** When it is running, and when its runner process starts (boot times vary). */
  readonly runningAt: number;
  readonly runnerAt: number;
}

/** An EventBridge event as the instance-events rule delivers it. */
export type InstanceEventInput = Readonly<Record<string, unknown>>;

function envelope(
  machine: SimMachine,
  at: number,
  n: number,
  type: string,
  detail: Record<string, unknown>,
): InstanceEventInput {
  return {
    version: '0',
    id: `ev-${machine.id}-${n}-${at}`,
    'detail-type': type,
    source: machine.kind === 'ec2' ? 'aws.ec2' : 'aws.ecs',
    account: '000000000000',
    time: toIso(at).replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [machine.id],
    detail,
  };
}

/** What EventBridge delivers when a machine is gone: EC2's state change, or ECS's STOPPED task. */
export function terminatedEvent(machine: SimMachine, at: number, n: number): InstanceEventInput {
  if (machine.kind === 'ec2')
    return envelope(machine, at, n, 'EC2 Instance State-change Notification', {
      'instance-id': machine.id,
      state: 'terminated',
    });
  return envelope(machine, at, n, 'ECS Task State Change', {
    taskArn: machine.id,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/hangar-runners',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
  });
}

/** EC2's two-minute spot interruption warning. */
export function spotWarningEvent(machine: SimMachine, at: number, n: number): InstanceEventInput {
  return envelope(machine, at, n, 'EC2 Spot Instance Interruption Warning', {
    'instance-id': machine.id,
    'instance-action': 'terminate',
  });
}
