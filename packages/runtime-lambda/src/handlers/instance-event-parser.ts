import type { InstanceEvent, IsoTime } from '@hangar/core';

/** The EventBridge envelope fields read here; `detail` is checked field by field. */
export interface EventBridgeInput {
  readonly id?: string;
  readonly time?: string;
  readonly 'detail-type'?: string;
  readonly detail?: unknown;
}

export type ParsedInstanceEvent =
  | { readonly kind: 'events'; readonly events: readonly InstanceEvent[] }
  | { readonly kind: 'no-op'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly problem: string };

const EC2_STATES = new Set(['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']);

/** ECS task lifecycle → the EC2-style states core speaks. */
const ECS_STATES: Readonly<Record<string, Extract<InstanceEvent, { kind: 'state-change' }>['state']>> = {
  PROVISIONING: 'pending',
  PENDING: 'pending',
  ACTIVATING: 'pending',
  RUNNING: 'running',
  DEACTIVATING: 'stopping',
  STOPPING: 'stopping',
  DEPROVISIONING: 'stopping',
  STOPPED: 'terminated',
};

const malformed = (problem: string): ParsedInstanceEvent => ({ kind: 'malformed', problem });

function field(detail: unknown, name: string): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const value = (detail as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function ecsTask(detail: unknown, at: IsoTime): ParsedInstanceEvent {
  const taskArn = field(detail, 'taskArn');
  const status = field(detail, 'lastStatus');
  if (taskArn === undefined || status === undefined)
    return malformed('detail.taskArn and detail.lastStatus are required');
  const state = ECS_STATES[status];
  if (state === undefined) return { kind: 'no-op', reason: `task status ${status}` };
  const change: InstanceEvent = { kind: 'state-change', instanceId: taskArn, state, at };
  // Fargate Spot reclaims a task by stopping it with this code (no separate warning event).
  return field(detail, 'stopCode') === 'SpotInterruption'
    ? { kind: 'events', events: [{ kind: 'spot-interruption', instanceId: taskArn, at }, change] }
    : { kind: 'events', events: [change] };
}

/**
 * Translates the EventBridge events the instance-events rule delivers into core's
 * InstanceEvents. Rebalance recommendations are a no-op: the interruption warning, if it
 * comes, is what matters, and a runner mid-job is not moved early.
 */
export function parseInstanceEvent(event: EventBridgeInput | null | undefined): ParsedInstanceEvent {
  if (typeof event !== 'object' || event === null) return malformed('event is not an object');
  const type = event['detail-type'];
  const at = event.time;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)))
    return malformed('time is not an ISO-8601 time');
  const detail = event.detail;
  switch (type) {
    case 'EC2 Instance State-change Notification': {
      const instanceId = field(detail, 'instance-id');
      const state = field(detail, 'state');
      if (instanceId === undefined || state === undefined || !EC2_STATES.has(state))
        return malformed('detail.instance-id and a known detail.state are required');
      return {
        kind: 'events',
        events: [{ kind: 'state-change', instanceId, state: state as 'running', at }],
      };
    }
    case 'EC2 Spot Instance Interruption Warning': {
      const instanceId = field(detail, 'instance-id');
      if (instanceId === undefined) return malformed('detail.instance-id is required');
      return { kind: 'events', events: [{ kind: 'spot-interruption', instanceId, at }] };
    }
    case 'EC2 Instance Rebalance Recommendation':
      return { kind: 'no-op', reason: 'rebalance recommendation' };
    case 'ECS Task State Change':
      return ecsTask(detail, at);
    default:
      return malformed(`detail-type ${String(type)} is not an instance event`);
  }
}
