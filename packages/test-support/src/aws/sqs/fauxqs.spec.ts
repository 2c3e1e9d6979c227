import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startSqsS3, type SqsS3Emulator } from './index';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emulator: SqsS3Emulator;
let sqs: SQSClient;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startSqsS3();
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
});
afterAll(async () => {
  sqs.destroy();
  s3.destroy();
  await emulator.stop();
});

describe('startSqsS3', () => {
  it('listens on the loopback address with a kernel-chosen port', () => {
    const url = new URL(emulator.endpoint);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it('serves SQS: a message sent to a created queue is received back', async () => {
    const queueUrl = await emulator.createQueue('wrapper-standard');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(out.Messages?.map((m) => m.Body)).toEqual(['hello']);
  });

  it('creates a FIFO queue for a .fifo name', async () => {
    const queueUrl = await emulator.createQueue('wrapper.fifo');
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['FifoQueue'] }),
    );
    expect(attributes.Attributes?.['FifoQueue']).toBe('true');
  });

  it('serves S3 with path-style addressing: an object put is read back with its metadata', async () => {
    await emulator.createBucket('wrapper-bucket');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'wrapper-bucket',
        Key: 'a/b',
        Body: 'bytes',
        Metadata: { version: 'v1' },
      }),
    );
    const out = await s3.send(new GetObjectCommand({ Bucket: 'wrapper-bucket', Key: 'a/b' }));
    expect(out.Metadata).toEqual({ version: 'v1' });
    expect(await out.Body?.transformToString()).toBe('bytes');
  });
});
