import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startAwsProxy, type AwsProxy } from './aws-proxy';
import { SimulatedClock } from './sim-clock';
import { DelayBook, QueueDriver, type SqsHandler } from './sqs-driver';
import { simulatedSqsDelays } from './sqs-sim-delays';
import { SqsWire } from './sqs-wire';

let sqs: SqsS3Emulator;
let wire: SqsWire;
let queues = 0;

beforeAll(async () => {
  sqs = await startSqsS3();
  wire = new SqsWire(sqs.endpoint);
});
afterAll(async () => {
  await sqs.stop();
});

interface SetupOptions {
  readonly maxReceiveCount?: number;
  readonly timeoutMs?: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
}

async function setup(handler: SqsHandler, options: SetupOptions = {}) {
  queues += 1;
  const clock = new SimulatedClock();
  const delays = new DelayBook();
  const dlqUrl = await sqs.createQueue(`q${queues}-dlq`);
  const url = await sqs.createQueue(`q${queues}`, {
    VisibilityTimeout: '43200',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: await wire.queueArn(dlqUrl),
      maxReceiveCount: options.maxReceiveCount ?? 3,
    }),
  });
  const proxy: AwsProxy = await startAwsProxy(sqs.endpoint, simulatedSqsDelays(clock, delays));
  const driver = new QueueDriver({
    name: 'spec',
    wire,
    queueUrl: url,
    queueArn: await wire.queueArn(url),
    handler,
    clock,
    delays,
    visibilityTimeoutSeconds: 30,
    invocationTimeoutMs: options.timeoutMs ?? 5_000,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  /** Sends like the SDK would (JSON protocol), through the proxy. */
  const send = async (body: string, delaySeconds?: number) => {
    const response = await fetch(proxy.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
      body: JSON.stringify({
        QueueUrl: url,
        Entries: [{ Id: 'a', MessageBody: body, ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}) }],
      }),
    });
    expect(response.status).toBe(200);
  };
  return { clock, driver, send, proxy, dlqUrl, url };
}

const bodies = (event: SQSEvent) => event.Records.map((r) => r.body);

describe('QueueDriver (SQS event-source mapping on the simulated clock)', () => {
  it('delivers a message sent with DelaySeconds only once the simulated clock reaches its due time', async () => {
    const seen: string[] = [];
    const { clock, driver, send, proxy } = await setup(async (event) => {
      seen.push(...bodies(event));
    });
    await send('later', 120);
    await send('now');
    await driver.pump();
    expect(seen).toEqual(['now']);
    clock.advance(119_000);
    await driver.pump();
    expect(seen).toEqual(['now']);
    clock.advance(1_000);
    await driver.pump();
    expect(seen).toEqual(['now', 'later']);
    expect(proxy.calls()).toEqual({ SendMessageBatch: 2 });
    await proxy.close();
  });

  it('deletes succeeded records and redelivers a record reported in batchItemFailures after the visibility timeout', async () => {
    const deliveries: { body: string; receiveCount: string }[] = [];
    const { clock, driver, send, proxy, url } = await setup(async (event): Promise<SQSBatchResponse> => {
      for (const r of event.Records)
        deliveries.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount });
      const failed = deliveries.filter((d) => d.body === 'flaky').length === 1;
      return {
        batchItemFailures: event.Records.filter((r) => r.body === 'flaky' && failed).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    await send('ok');
    await send('flaky');
    await driver.pump();
    clock.advance(29_000);
    await driver.pump();
    expect(deliveries.map((d) => d.body).sort()).toEqual(['flaky', 'ok']);
    clock.advance(1_000);
    await driver.pump();
    expect(deliveries.filter((d) => d.body === 'flaky').map((d) => d.receiveCount)).toEqual(['1', '2']);
    expect(await wire.depth(url)).toBe(0);
    expect(driver.stats).toMatchObject({ recordsSucceeded: 2, recordsFailed: 1 });
    await proxy.close();
  });

  it('moves a record that keeps failing to the dead-letter queue after maxReceiveCount receives', async () => {
    let calls = 0;
    const { clock, driver, send, proxy, dlqUrl, url } = await setup(
      async () => {
        calls += 1;
        throw new Error('handler bug');
      },
      { maxReceiveCount: 2 },
    );
    await send('poison');
    for (let i = 0; i < 4; i += 1) {
      await driver.pump();
      clock.advance(30_000);
    }
    expect(calls).toBe(2);
    expect(await wire.depth(url)).toBe(0);
    expect(await wire.depth(dlqUrl)).toBe(1);
    expect(driver.stats.invocationsThrew).toBe(2);
    await proxy.close();
  });

  it('treats an invocation that never returns as killed and lets SQS deliver the message again', async () => {
    let calls = 0;
    const { clock, driver, send, proxy } = await setup(
      () => {
        calls += 1;
        return calls === 1
          ? new Promise<void>(() => undefined)
          : Promise.resolve({ batchItemFailures: [] } as SQSBatchResponse);
      },
      { timeoutMs: 200 },
    );
    await send(JSON.stringify({ n: 1 }));
    await driver.pump();
    expect(driver.stats.invocationsTimedOut).toBe(1);
    clock.advance(30_000);
    await driver.pump();
    expect(calls).toBe(2);
    expect(driver.stats.recordsSucceeded).toBe(1);
    await proxy.close();
  });

  it('runs each poller on its own: a poller done with its batch takes the next while another is still busy', async () => {
    // Lambda's event-source mapping pollers do not wait for each other. The first batch holds
    // until a third one starts; pollers that waited for every batch of a round never start it
    // (the first batch then ends at the invocation timeout, and the third starts after it).
    let started = 0;
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const { driver, send, proxy } = await setup(
      async () => {
        started += 1;
        const n = started;
        if (n === 3) releaseFirst();
        if (n === 1) await firstHeld;
      },
      { batchSize: 1, concurrency: 2, timeoutMs: 3_000 },
    );
    for (const body of ['a', 'b', 'c']) await send(body);
    await driver.pump();
    expect(driver.stats).toMatchObject({ recordsSucceeded: 3, invocationsTimedOut: 0 });
    await proxy.close();
  });
});
