import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import { startLocalControlPlane, type LocalControlPlane } from './control-plane';
import type { InstanceEventBridgeEvent } from './eventbridge';
import type { HandlerFactory } from './handler-set';

/** Handlers that only record what the driver hands them (the driver's wiring is under test, not Hangar). */
function recordingHandlers() {
  const seen = {
    webhooks: [] as string[],
    scaleUp: [] as string[],
    scheduled: [] as { rule: string; time: string }[],
    instanceEvents: [] as string[],
    environment: {} as Readonly<Record<string, string>>,
  };
  const factory: HandlerFactory = async (infrastructure, _clock, environment) => {
    seen.environment = environment;
    const scheduled = async (event: ScheduledEvent) => {
      seen.scheduled.push({ rule: event.resources[0]?.split('/')[1] ?? '', time: event.time });
    };
    return {
      async webhook(event) {
        seen.webhooks.push(event.headers['x-github-event'] ?? '');
        // Enqueue like the real webhook handler: through the counting SQS proxy, with a delay.
        await fetch(infrastructure.proxies.sqs.endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'AmazonSQS.SendMessageBatch',
          },
          body: JSON.stringify({
            QueueUrl: infrastructure.queues.scaleUp.url,
            Entries: [{ Id: '0', MessageBody: 'serve', DelaySeconds: 20 }],
          }),
        });
        return { statusCode: 202, body: '' };
      },
      async scaleUp(event: SQSEvent) {
        seen.scaleUp.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
      jobEvents: async () => ({ batchItemFailures: [] }),
      scaleDown: scheduled,
      pool: scheduled,
      reconciler: scheduled,
      binariesSyncer: scheduled,
      async instanceEvents(event: InstanceEventBridgeEvent) {
        const state = 'state' in event.detail ? event.detail.state : '';
        seen.instanceEvents.push(`${event['detail-type']}:${state}`);
      },
    };
  };
  return { seen, factory };
}

describe('startLocalControlPlane (driver wiring, with recording handlers)', () => {
  let plane: LocalControlPlane;
  const { seen, factory } = recordingHandlers();

  beforeAll(async () => {
    plane = await startLocalControlPlane({
      pools: [
        {
          id: 'linux',
          labels: ['self-hosted', 'linux'],
          owner: 'acme',
          compute: {
            kind: 'ec2',
            launchTemplateName: 'lt',
            subnetIds: ['subnet-0a'],
            instanceTypes: ['m5.large'],
          },
        },
      ],
      repos: ['acme/web'],
      handlers: factory,
      dynamoDbEndpoint: process.env.HANGAR_TEST_DYNAMODB_ENDPOINT as string,
      schedules: { scaleDown: 60, pool: 0, reconciler: 300 },
    });
  }, 60_000);

  afterAll(async () => {
    await plane.close();
  });

  it('gives the handlers a Lambda environment naming the local queues, parameters and fake GitHub', () => {
    expect(seen.environment).toMatchObject({
      HANGAR_SCALE_UP_QUEUE_URL: plane.infrastructure.queues.scaleUp.url,
      HANGAR_GITHUB_API_URL: plane.fake.url,
      HANGAR_POOLS_PARAMETER: '/hangar/config/pools',
    });
    const names = plane.infrastructure.ssm.parameters().map((p) => p.name);
    expect(names.sort()).toEqual([
      '/hangar/config/github-apps',
      '/hangar/config/pools',
      '/hangar/config/webhook-secret',
    ]);
  });

  it('delivers GitHub webhooks to the webhook handler and delayed SQS messages after their simulated delay', async () => {
    plane.fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] });
    await plane.step();
    expect(seen.webhooks).toEqual(['workflow_job']);
    expect(seen.scaleUp).toEqual([]);
    await plane.step();
    expect(seen.scaleUp).toEqual([]);
    await plane.step();
    expect(seen.scaleUp).toEqual(['serve']);
    expect(plane.infrastructure.proxies.sqs.calls()).toEqual({ SendMessageBatch: 1 });
  });

  it('fires each schedule at its rate in simulated time, and not the disabled ones', async () => {
    const before = seen.scheduled.length;
    for (let i = 0; i < 12; i += 1) await plane.step();
    const fired = seen.scheduled.slice(before).map((s) => s.rule);
    expect(fired.filter((r) => r === 'hangar-scale-down')).toHaveLength(2);
    expect(fired.filter((r) => r === 'hangar-pool')).toHaveLength(0);
  });

  it('turns EC2 state changes into EventBridge events for instance-events, and spot interruptions into a warning first', async () => {
    const { ec2 } = plane.infrastructure;
    const params = new URLSearchParams({
      Action: 'CreateFleet',
      Version: '2016-11-15',
      Type: 'instant',
      'LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName': 'lt',
      'LaunchTemplateConfigs.1.Overrides.1.SubnetId': 'subnet-0a',
      'LaunchTemplateConfigs.1.Overrides.1.InstanceType': 'm5.large',
      'TargetCapacitySpecification.TotalTargetCapacity': '1',
      'TargetCapacitySpecification.DefaultTargetCapacityType': 'spot',
    });
    await fetch(ec2.endpoint, { method: 'POST', body: params.toString() });
    await plane.step();
    const [instance] = ec2.instances();
    ec2.interruptSpot(instance?.instanceId as string);
    await plane.step();
    expect(seen.instanceEvents).toEqual([
      'EC2 Instance State-change Notification:pending',
      'EC2 Instance State-change Notification:running',
      'EC2 Spot Instance Interruption Warning:',
      'EC2 Instance State-change Notification:shutting-down',
      'EC2 Instance State-change Notification:terminated',
    ]);
    expect(plane.observer.snapshot()).toMatchObject({ launched: 1, peakAlive: 1, alive: 0 });
  });
});
