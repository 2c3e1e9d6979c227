import type { LocalControlPlane } from '@hangar/runtime-lambda/local/control-plane';
import type { AwsProxy } from '@hangar/runtime-lambda/local/aws-proxy';
import type { FaultPlan } from './faults';

/** Which handler a kill may hit, and the AWS actions whose answer may be lost (they take effect). */
const KILLABLE = [
  'scale-up',
  'job-events',
  'scale-down',
  'reconciler',
  'webhook',
  'instance-events',
] as const;
const LOSABLE: readonly (readonly ['ec2' | 'ecs' | 'ssm' | 'dynamodb' | 'sqs', string])[] = [
  ['ec2', 'CreateFleet'],
  ['ecs', 'RunTask'],
  ['ssm', 'PutParameter'],
  ['dynamodb', 'TransactWriteItems'],
  ['sqs', 'SendMessageBatch'],
];
/** A throttling error in each service's own words, as the SDK classifies it. */
const THROTTLES: Readonly<Record<string, readonly [number, string]>> = {
  dynamodb: [400, 'ProvisionedThroughputExceededException'],
  sqs: [400, 'RequestThrottled'],
  ssm: [400, 'ThrottlingException'],
  ec2: [503, 'RequestLimitExceeded'],
  ecs: [400, 'ThrottlingException'],
};

/**
 * The fault families on the real emulators, drawn per step from the same plan streams as the
 * in-memory world: GitHub's delivery rules, the AWS proxies' errors and lost answers, the
 * invocation gate's kills, EC2 capacity and spot reclaims, GitHub API faults. Index lag (no
 * lag in DynamoDB Local) and SQS duplicates (fauxqs delivers once) are not modelled here.
 */
export function applyStepFaults(
  plane: LocalControlPlane,
  plan: FaultPlan,
  spotInstances: () => string[],
): void {
  const { fake, infrastructure } = plane;
  const proxies = infrastructure.proxies as Readonly<Record<string, AwsProxy>>;
  if (plan.strike('webhook-duplicate')) fake.webhooks.addRule({ effect: 'duplicate', times: 1 });
  if (plan.strike('webhook-drop')) fake.webhooks.addRule({ effect: 'drop', times: 1 });
  if (plan.strike('webhook-reorder'))
    fake.webhooks.addRule({
      effect: 'delay',
      delayMs: plan.stream('webhook-reorder').int(5, 120) * 1000,
      times: 1,
    });
  if (plan.strike('crash'))
    infrastructure.invocations.killNext(plan.stream('crash').pick(KILLABLE), plan.stream('crash').int(1, 10));
  if (plan.strike('aws-errors', 0.3)) {
    const service = plan.stream('aws-errors').pick(Object.keys(THROTTLES));
    const [status, code] = THROTTLES[service] as readonly [number, string];
    const fault = plan.stream('aws-errors').chance(0.5)
      ? { status, code }
      : { status: 503, code: 'ServiceUnavailable' };
    proxies[service]?.faults.add('*', { kind: 'error', ...fault }, plan.stream('aws-errors').int(1, 3));
  }
  if (plan.strike('lost-answer', 0.15)) {
    const [service, action] = plan.stream('lost-answer').pick(LOSABLE);
    proxies[service]?.faults.add(action, { kind: 'lose-answer', status: 500, code: 'InternalError' });
  }
  if (plan.strike('github-errors', 0.2))
    fake.faults.add({ path: /.*/, status: 502, times: plan.stream('github-errors').int(1, 3) });
  if (plan.on('capacity-outage')) {
    if (plan.strike('capacity-outage')) infrastructure.ec2.setCapacity({ market: 'spot', available: 0 });
    else if (plan.stream('capacity-outage').chance(0.3))
      infrastructure.ec2.setCapacity({ market: 'spot', available: 'unlimited' });
  }
  const spot = spotInstances();
  if (spot.length > 0 && plan.strike('spot-interruption', 0.1))
    infrastructure.ec2.interruptSpot(plan.stream('spot-interruption').pick(spot));
}

/** Every fault off for the settle phase (GitHub's re-run refusal is a condition, not a fault: it stays). */
export function clearFaults(plane: LocalControlPlane): void {
  const { fake, infrastructure } = plane;
  fake.webhooks.clearRules();
  for (const proxy of Object.values(infrastructure.proxies)) proxy.faults.clear();
  infrastructure.ec2.setCapacity({ market: 'spot', available: 'unlimited' });
}
