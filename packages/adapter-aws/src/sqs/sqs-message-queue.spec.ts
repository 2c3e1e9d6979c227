import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { ConfigurationError, DependencyError } from '@hangar/core';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import { SqsMessageQueue } from './sqs-message-queue';

interface Job {
  readonly jobId: string;
  readonly pad?: string;
}

let emulator: SqsS3Emulator;
let client: SQSClient;
/** SQS operations this client sent, counted by a middleware on the real client. */
const commands: string[] = [];
let n = 0;

beforeAll(async () => {
  emulator = await startSqsS3();
  client = new SQSClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

async function newQueue(suffix = ''): Promise<string> {
  n += 1;
  return emulator.createQueue(`jobs-${n}${suffix}`);
}

async function receive(queueUrl: string, waitSeconds: number): Promise<Message[]> {
  const out = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
  );
  return out.Messages ?? [];
}

/** Receives and deletes until a receive comes back empty. */
async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const batch = await receive(queueUrl, 0);
    if (batch.length === 0) return bodies;
    for (const m of batch) {
      bodies.push(m.Body ?? '');
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

const sentBatches = (since: number) =>
  commands.slice(since).filter((c) => c === 'SendMessageBatchCommand').length;

describe('SqsMessageQueue on a standard queue (fauxqs)', () => {
  it('delivers a sent message as JSON', async () => {
    const queueUrl = await newQueue();
    await new SqsMessageQueue<Job>({ client, queueUrl }).send([{ body: { jobId: '42' } }]);
    const received = await receive(queueUrl, 1);
    expect(received.map((m) => JSON.parse(m.Body ?? ''))).toEqual([{ jobId: '42' }]);
  });

  it('keeps a delayed message invisible until its delay has passed', async () => {
    const queueUrl = await newQueue();
    await new SqsMessageQueue<Job>({ client, queueUrl }).send([{ body: { jobId: 'd' } }], {
      delaySeconds: 1,
    });
    expect(await receive(queueUrl, 0)).toEqual([]);
    // Long polling returns as soon as the message becomes visible (bounded at 5 s).
    const later = await receive(queueUrl, 5);
    expect(later.map((m) => m.Body)).toEqual(['{"jobId":"d"}']);
  });

  it.each([901, -1, 1.5, Number.NaN])(
    'rejects delaySeconds %p with a ConfigurationError before calling SQS',
    async (delaySeconds) => {
      const queueUrl = await newQueue();
      const before = commands.length;
      const error = await new SqsMessageQueue<Job>({ client, queueUrl })
        .send([{ body: { jobId: '1' } }], { delaySeconds })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(String(delaySeconds));
      expect(commands.length).toBe(before);
    },
  );

  it('sends 25 messages in 3 SendMessageBatch calls and delivers all of them', async () => {
    const queueUrl = await newQueue();
    const before = commands.length;
    const jobs = Array.from({ length: 25 }, (_, i) => ({ body: { jobId: String(i) } }));
    await new SqsMessageQueue<Job>({ client, queueUrl }).send(jobs);
    expect(sentBatches(before)).toBe(3);
    const bodies = await drain(queueUrl);
    expect(bodies.map((b) => (JSON.parse(b) as Job).jobId).sort((a, b) => Number(a) - Number(b))).toEqual(
      jobs.map((j) => j.body.jobId),
    );
  });

  it('splits a batch whose total size would exceed the byte limit', async () => {
    const queueUrl = await newQueue();
    const before = commands.length;
    const big = 'x'.repeat(100_000);
    await new SqsMessageQueue<Job>({ client, queueUrl }).send(
      [1, 2, 3].map((i) => ({ body: { jobId: String(i), pad: big } })),
    );
    expect(sentBatches(before)).toBe(2);
    expect(await drain(queueUrl)).toHaveLength(3);
  });

  it('rejects a single message over the byte limit as a non-retryable DependencyError', async () => {
    const queueUrl = await newQueue();
    const error = await new SqsMessageQueue<Job>({ client, queueUrl })
      .send([{ body: { jobId: '1', pad: 'x'.repeat(300_000) } }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('m0') });
  });

  it('sends nothing for an empty list', async () => {
    const before = commands.length;
    await new SqsMessageQueue<Job>({ client, queueUrl: await newQueue() }).send([]);
    expect(commands.length).toBe(before);
  });

  it('reports a queue that does not exist as a non-retryable DependencyError', async () => {
    const queueUrl = `${emulator.endpoint}/000000000000/no-such-queue`;
    const error = await new SqsMessageQueue<Job>({ client, queueUrl })
      .send([{ body: { jobId: '1' } }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'sqs', operation: 'SendMessageBatch', retryable: false });
  });
});

describe('SqsMessageQueue on a FIFO queue (fauxqs)', () => {
  it('delivers a message once when the same dedup id is sent twice', async () => {
    const queueUrl = await newQueue('.fifo');
    const queue = new SqsMessageQueue<Job>({ client, queueUrl });
    await queue.send([{ body: { jobId: '7' }, groupId: 'pool-a', dedupId: 'job-7' }]);
    await queue.send([{ body: { jobId: '7' }, groupId: 'pool-b', dedupId: 'job-7' }]);
    await queue.send([{ body: { jobId: '8' }, groupId: 'pool-c', dedupId: 'job-8' }]);
    const bodies = await drain(queueUrl);
    expect(bodies.map((b) => (JSON.parse(b) as Job).jobId).sort()).toEqual(['7', '8']);
  });

  it('keeps the order of one group across batch chunks', async () => {
    const queueUrl = await newQueue('.fifo');
    const jobs = Array.from({ length: 15 }, (_, i) => ({
      body: { jobId: String(i) },
      groupId: 'g',
      dedupId: `d-${i}`,
    }));
    await new SqsMessageQueue<Job>({ client, queueUrl }).send(jobs);
    const bodies = await drain(queueUrl);
    expect(bodies.map((b) => (JSON.parse(b) as Job).jobId)).toEqual(jobs.map((j) => j.body.jobId));
  });

  it('requires a groupId and a dedupId on every message', async () => {
    const queue = new SqsMessageQueue<Job>({ client, queueUrl: await newQueue('.fifo') });
    await expect(queue.send([{ body: { jobId: '1' }, dedupId: 'd' }])).rejects.toThrow(
      /message 0 has no groupId/,
    );
    await expect(queue.send([{ body: { jobId: '1' }, groupId: 'g' }])).rejects.toThrow(
      /message 0 has no dedupId/,
    );
  });

  it('refuses a per-message delay, which SQS supports only as a queue attribute on FIFO queues', async () => {
    const queue = new SqsMessageQueue<Job>({ client, queueUrl: await newQueue('.fifo') });
    const error = await queue
      .send([{ body: { jobId: '1' }, groupId: 'g', dedupId: 'd' }], { delaySeconds: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('per-message delay');
  });
});
