import { createHmac } from 'node:crypto';
import { toIso } from '@hangar/core';
import type { Invocation } from './invocation';
import { WEBHOOK_SECRET } from './roots';
import type { ChaosWorld } from './world';
import type { Delivery } from './world/github-state';
import type { SimMessage, SimQueue } from './world/sqs';

/** The API Gateway HTTP API event for one GitHub delivery, signed as GitHub signs it. */
function webhookEvent(delivery: Delivery, at: number): object {
  const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(delivery.body).digest('hex')}`;
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': delivery.guid,
      'x-hub-signature-256': signature,
    },
    requestContext: { http: { method: 'POST', path: '/webhook' }, timeEpoch: at },
    body: delivery.body,
    isBase64Encoded: false,
  };
}

/** Why a failure happened, as far as the world knows: an injected fault, or nothing (a bug?). */
function failureReason(world: ChaosWorld, inv: Invocation, error?: unknown): string {
  if (inv.dead) return 'killed';
  if (inv.faults.length > 0) return `faults: ${inv.faults.join('; ')}`;
  if (world.cloud.outage !== 'none') return 'capacity outage';
  return `no injected fault${error instanceof Error ? ` (${error.name}: ${error.message})` : ''}`;
}

/** A thrown handler is a crash unless the invocation was killed or met an injected fault. */
function crashed(world: ChaosWorld, inv: Invocation, handler: string, error: unknown): void {
  if (inv.dead || inv.faults.length > 0) return;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  world.violations.record('handler-crashed', `${handler} threw with no injected fault: ${text}`);
}

/** GitHub's due deliveries, up to three at once: 2xx is delivered, anything else failed. */
export async function deliverWebhooks(world: ChaosWorld): Promise<number> {
  const due = world.github.due();
  for (let i = 0; i < due.length; i += 3) {
    await Promise.all(
      due.slice(i, i + 3).map(async (delivery) => {
        const { inv, handlers } = world.invocation('webhook');
        let ok = false;
        try {
          const answer = await handlers.webhook(webhookEvent(delivery, world.nowMs()));
          ok = !inv.dead && (answer.statusCode ?? 0) >= 200 && (answer.statusCode ?? 0) < 300;
          if (!ok && !inv.dead && inv.faults.length === 0)
            world.violations.record(
              'handler-crashed',
              `webhook answered ${answer.statusCode} with no injected fault (${delivery.action} ${delivery.jobId})`,
            );
        } catch (error) {
          crashed(world, inv, 'webhook', error);
        }
        world.finished(inv);
        delivery.status = ok ? 'ok' : 'failed';
        world.trace.add(
          `github: delivery ${delivery.guid} (${delivery.action} ${delivery.jobId}) ${ok ? 'delivered' : 'failed'}`,
        );
      }),
    );
  }
  return due.length;
}

/** EventBridge → instance-events: in order; a failed invocation is retried twice, then dropped. */
export async function deliverInstanceEvents(world: ChaosWorld): Promise<number> {
  const events = world.cloud.events.splice(0);
  for (const event of events) {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { inv, handlers } = world.invocation('instance-events');
      let ok = false;
      try {
        await handlers.instanceEvents(event);
        ok = !inv.dead;
      } catch (error) {
        crashed(world, inv, 'instance-events', error);
      }
      world.finished(inv);
      if (ok) break;
      if (attempt === 3)
        world.trace.add(
          `eventbridge: ${String(event['detail-type'])} for ${String(event.resources)} dropped after 3 attempts`,
        );
    }
  }
  return events.length;
}

function sqsRecord(message: SimMessage, queue: string, at: number) {
  return {
    messageId: message.id,
    receiptHandle: `rh-${message.id}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(at),
      SenderId: 'chaos',
      ApproximateFirstReceiveTimestamp: String(at),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:hangar-${queue}`,
    awsRegion: 'us-east-1',
  };
}

/** Batches of 1–3 records; two copies of one message never share a batch (SQS would not). */
function batches(world: ChaosWorld, messages: readonly SimMessage[]): SimMessage[][] {
  const out: SimMessage[][] = [];
  let current: SimMessage[] = [];
  let size = world.plan.stream('sqs-duplicate').int(1, 3);
  for (const message of messages) {
    if (current.length >= size || current.includes(message)) {
      out.push(current);
      current = [];
      size = world.plan.stream('sqs-duplicate').int(1, 3);
    }
    current.push(message);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Lambda's event-source mapping for one queue: batches of visible messages, several invocations at once. */
export async function pumpQueue<M>(
  world: ChaosWorld,
  queue: SimQueue<M>,
  kind: 'scaleUp' | 'jobEvents',
): Promise<number> {
  let delivered = 0;
  for (let round = 0; round < 6; round += 1) {
    const messages = queue.receive(6);
    if (messages.length === 0) break;
    delivered += messages.length;
    await Promise.all(
      batches(world, messages).map(async (batch) => {
        const { inv, handlers } = world.invocation(queue.name);
        const failed = new Set<string>(batch.map((m) => m.id));
        let error: unknown;
        try {
          const answer = await handlers[kind]({
            Records: batch.map((m) => sqsRecord(m, queue.name, world.nowMs())),
          });
          if (!inv.dead) {
            failed.clear();
            for (const item of answer.batchItemFailures) failed.add(item.itemIdentifier);
          }
        } catch (thrown) {
          error = thrown;
          crashed(world, inv, queue.name, thrown);
        }
        world.finished(inv);
        for (const message of batch)
          queue.settle(message, !failed.has(message.id), failureReason(world, inv, error));
      }),
    );
  }
  return delivered;
}

/** One EventBridge-scheduled run; a failure with no injected fault while settling is a finding. */
export async function runScheduled(
  world: ChaosWorld,
  name: 'scaleDown' | 'pool' | 'reconciler',
): Promise<void> {
  const { inv, handlers } = world.invocation(name);
  const at = toIso(world.nowMs()).replace(/\.\d{3}Z$/, 'Z');
  const event = {
    version: '0',
    id: `${name}-${at}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time: at,
    detail: {},
  };
  try {
    await handlers[name](event);
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    world.trace.add(`${inv.id} failed: ${text}`);
    if (!inv.dead && inv.faults.length === 0)
      world.violations.record('scheduled-run-aborted', `${name} run failed with no injected fault: ${text}`);
  }
  world.finished(inv);
}
