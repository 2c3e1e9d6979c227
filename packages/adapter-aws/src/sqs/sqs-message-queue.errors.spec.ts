import { afterEach, describe, expect, it } from '@jest/globals';
import { QueueDoesNotExist, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DependencyError } from '@hangar/core';
import { isRetryableSqsError } from './sqs-errors';
import { SqsMessageQueue } from './sqs-message-queue';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';
const client = new SQSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(client);
const queue = new SqsMessageQueue<string>({ client, queueUrl });
const three = ['a', 'b', 'c'].map((body) => ({ body }));

afterEach(() => {
  mock.reset();
});

describe('SqsMessageQueue partial batch failures (mocked client)', () => {
  it('re-sends only the entries SQS failed, once, and succeeds when they go through', async () => {
    mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false }] })
      .resolvesOnce({ Successful: [], Failed: [] });
    await queue.send(three);
    const calls = mock.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((e) => [e.Id, e.MessageBody])).toEqual([['m1', '"b"']]);
  });

  it('throws a retryable DependencyError listing the entries that failed twice', async () => {
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [
        { Id: 'm0', Code: 'InternalError', SenderFault: false },
        { Id: 'm2', Code: 'ServiceUnavailable', SenderFault: false },
      ],
    });
    const error = await queue.send(three).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ retryable: true, operation: 'SendMessageBatch' });
    expect((error as Error).message).toContain('m0 (InternalError)');
    expect((error as Error).message).toContain('m2 (ServiceUnavailable)');
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  it('does not re-send entries rejected for the sender fault and reports them as not retryable', async () => {
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'm1', Code: 'InvalidMessageContents', Message: 'bad char', SenderFault: true }],
    });
    await expect(queue.send(three)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('m1 (InvalidMessageContents: bad char)'),
    });
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('translates a thrown SDK error into a DependencyError with the queue URL', async () => {
    mock
      .on(SendMessageBatchCommand)
      .rejects(new QueueDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } }));
    await expect(queue.send(three)).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
      message: expect.stringContaining(queueUrl),
    });
  });
});

describe('SQS error classification', () => {
  it('treats throttling, 5xx and connection resets as retryable and a missing queue as not', () => {
    expect(isRetryableSqsError({ name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } })).toBe(true);
    expect(isRetryableSqsError({ name: 'Whatever', $metadata: { httpStatusCode: 502 } })).toBe(true);
    expect(isRetryableSqsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableSqsError(new QueueDoesNotExist({ message: 'gone', $metadata: {} }))).toBe(false);
  });
});
