import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { DependencyError } from '@hangar/core';
import { SqsMessageQueue } from './sqs-message-queue';

interface Job {
  readonly jobId: string;
  readonly pad?: string;
}

/** Where the semantics run: fauxqs or moto. */
export interface SqsBackend {
  endpoint(): string;
}

let suites = 0;

/**
 * What SqsMessageQueue promises on standard and FIFO queues, through the SQS API only, so the
 * same cases run against fauxqs and moto. Validation the adapter does before calling SQS is
 * specified once, in sqs-message-queue.spec.ts.
 */
export function sqsMessageQueueSemantics(name: string, backend: SqsBackend): void {
  describe(`SqsMessageQueue semantics against ${name}`, () => {
    let client: SQSClient;
    /** SQS operations this client sent, counted by a middleware on the real client. */
    const commands: string[] = [];
    const suite = (suites += 1);
    let n = 0;

    beforeAll(() => {
      client = new SQSClient({
        endpoint: backend.endpoint(),
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
    afterAll(() => client.destroy());

    const newQueue = async (fifo = false): Promise<string> => {
      n += 1;
      const QueueName = `jobs-${process.pid}-${suite}-${n}${fifo ? '.fifo' : ''}`;
      const out = await client.send(
        new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: 'true' } : {} }),
      );
      return out.QueueUrl ?? '';
    };
    const receive = async (queueUrl: string, waitSeconds: number): Promise<Message[]> => {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
        }),
      );
      return out.Messages ?? [];
    };
    /** Receives and deletes until a receive comes back empty. */
    const drain = async (queueUrl: string): Promise<string[]> => {
      const bodies: string[] = [];
      for (;;) {
        const batch = await receive(queueUrl, 0);
        if (batch.length === 0) return bodies;
        for (const m of batch) {
          bodies.push(m.Body ?? '');
          await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
    };
    const jobIds = (bodies: string[]) => bodies.map((b) => (JSON.parse(b) as Job).jobId);
    const sentBatches = (since: number) =>
      commands.slice(since).filter((c) => c === 'SendMessageBatchCommand').length;

    it('delivers a sent message as JSON', async () => {
      const queueUrl = await newQueue();
      await new SqsMessageQueue<Job>({ client, queueUrl }).send([{ body: { jobId: '42' } }]);
      expect(jobIds(await drain(queueUrl))).toEqual(['42']);
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

    it('sends 25 messages in 3 SendMessageBatch calls and delivers all of them', async () => {
      const queueUrl = await newQueue();
      const before = commands.length;
      const jobs = Array.from({ length: 25 }, (_, i) => ({ body: { jobId: String(i) } }));
      await new SqsMessageQueue<Job>({ client, queueUrl }).send(jobs);
      expect(sentBatches(before)).toBe(3);
      const received = jobIds(await drain(queueUrl)).sort((a, b) => Number(a) - Number(b));
      expect(received).toEqual(jobs.map((j) => j.body.jobId));
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

    it('reports a queue that does not exist as a non-retryable DependencyError', async () => {
      const existing = await newQueue();
      const queueUrl = existing.replace(/[^/]+$/, `no-such-queue-${process.pid}`);
      const error = await new SqsMessageQueue<Job>({ client, queueUrl })
        .send([{ body: { jobId: '1' } }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 'sqs', operation: 'SendMessageBatch', retryable: false });
    });

    it('delivers a FIFO message once when the same dedup id is sent twice', async () => {
      const queueUrl = await newQueue(true);
      const queue = new SqsMessageQueue<Job>({ client, queueUrl });
      await queue.send([{ body: { jobId: '7' }, groupId: 'pool-a', dedupId: 'job-7' }]);
      await queue.send([{ body: { jobId: '7' }, groupId: 'pool-b', dedupId: 'job-7' }]);
      await queue.send([{ body: { jobId: '8' }, groupId: 'pool-c', dedupId: 'job-8' }]);
      expect(jobIds(await drain(queueUrl)).sort()).toEqual(['7', '8']);
    });

    it('keeps the order of one FIFO group across batch chunks', async () => {
      const queueUrl = await newQueue(true);
      const jobs = Array.from({ length: 15 }, (_, i) => ({
        body: { jobId: String(i) },
        groupId: 'g',
        dedupId: `d-${i}`,
      }));
      await new SqsMessageQueue<Job>({ client, queueUrl }).send(jobs);
      expect(jobIds(await drain(queueUrl))).toEqual(jobs.map((j) => j.body.jobId));
    });
  });
}
