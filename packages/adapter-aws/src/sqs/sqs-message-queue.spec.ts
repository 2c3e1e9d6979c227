import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigurationError } from '@hangar/core';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import { sqsMessageQueueSemantics } from './message-queue-semantics';
import { SqsMessageQueue } from './sqs-message-queue';

interface Job {
  readonly jobId: string;
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

// The semantic cases, also run against moto (sqs-message-queue.moto.spec.ts).
sqsMessageQueueSemantics('fauxqs', { endpoint: () => emulator.endpoint });

describe('SqsMessageQueue validation before calling SQS', () => {
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

  it('sends nothing for an empty list', async () => {
    const before = commands.length;
    await new SqsMessageQueue<Job>({ client, queueUrl: await newQueue() }).send([]);
    expect(commands.length).toBe(before);
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
