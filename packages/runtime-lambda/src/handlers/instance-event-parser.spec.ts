import { describe, expect, it } from '@jest/globals';
import { parseInstanceEvent } from './instance-event-parser';

const at = '2026-01-05T10:00:00Z';

describe('parseInstanceEvent', () => {
  it('maps an EC2 state change to a state-change event', () => {
    const event = {
      'detail-type': 'EC2 Instance State-change Notification',
      time: at,
      detail: { 'instance-id': 'i-1', state: 'terminated' },
    };
    expect(parseInstanceEvent(event)).toEqual({
      kind: 'events',
      events: [{ kind: 'state-change', instanceId: 'i-1', state: 'terminated', at }],
    });
  });

  it('maps a spot interruption warning to a spot-interruption event', () => {
    const event = {
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      time: at,
      detail: { 'instance-id': 'i-2', 'instance-action': 'terminate' },
    };
    expect(parseInstanceEvent(event)).toEqual({
      kind: 'events',
      events: [{ kind: 'spot-interruption', instanceId: 'i-2', at }],
    });
  });

  it('treats a rebalance recommendation as a no-op', () => {
    const event = {
      'detail-type': 'EC2 Instance Rebalance Recommendation',
      time: at,
      detail: { 'instance-id': 'i-3' },
    };
    expect(parseInstanceEvent(event)).toEqual({ kind: 'no-op', reason: 'rebalance recommendation' });
  });

  it('maps a stopped ECS task to terminated, preceded by an interruption when Fargate Spot reclaimed it', () => {
    const detail = { taskArn: 'arn:task/1', lastStatus: 'STOPPED' };
    const type = 'ECS Task State Change';
    expect(parseInstanceEvent({ 'detail-type': type, time: at, detail })).toEqual({
      kind: 'events',
      events: [{ kind: 'state-change', instanceId: 'arn:task/1', state: 'terminated', at }],
    });
    const spot = parseInstanceEvent({
      'detail-type': type,
      time: at,
      detail: { ...detail, stopCode: 'SpotInterruption' },
    });
    expect(spot.kind === 'events' && spot.events.map((e) => e.kind)).toEqual([
      'spot-interruption',
      'state-change',
    ]);
  });

  it('maps a running ECS task to running', () => {
    const event = {
      'detail-type': 'ECS Task State Change',
      time: at,
      detail: { taskArn: 'arn:task/2', lastStatus: 'RUNNING' },
    };
    expect(parseInstanceEvent(event)).toMatchObject({ kind: 'events', events: [{ state: 'running' }] });
  });

  it('names what is wrong with a malformed event', () => {
    expect(
      parseInstanceEvent({
        'detail-type': 'EC2 Instance State-change Notification',
        time: at,
        detail: { state: 'running' },
      }),
    ).toEqual({
      kind: 'malformed',
      problem: 'detail.instance-id and a known detail.state are required',
    });
    expect(
      parseInstanceEvent({ 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: {} }),
    ).toEqual({
      kind: 'malformed',
      problem: 'time is not an ISO-8601 time',
    });
    expect(parseInstanceEvent(null)).toEqual({ kind: 'malformed', problem: 'event is not an object' });
  });
});
