import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import { s3BinaryStoreSemantics } from './binary-store-semantics';
import { S3BinaryStore } from './s3-binary-store';

let emulator: SqsS3Emulator;

beforeAll(async () => {
  emulator = await startSqsS3();
});
afterAll(async () => {
  await emulator.stop();
});

// The semantic cases, also run against moto (s3-binary-store.moto.spec.ts).
s3BinaryStoreSemantics('fauxqs S3', { endpoint: () => emulator.endpoint });

describe('S3BinaryStore error shapes (mocked client)', () => {
  const mocked = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const fail = (name: string, httpStatusCode: number) =>
    new S3ServiceException({
      name,
      $fault: httpStatusCode >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode },
    });

  it('explains a 403 on HEAD and marks it not retryable', async () => {
    const mock = mockClient(mocked);
    mock.on(HeadObjectCommand).rejects(fail('Forbidden', 403));
    await expect(new S3BinaryStore({ client: mocked, bucket: 'b' }).head('k')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('s3:ListBucket'),
    });
    mock.restore();
  });

  it('marks SlowDown and 5xx as retryable', async () => {
    const mock = mockClient(mocked);
    mock.on(HeadObjectCommand).rejectsOnce(fail('SlowDown', 503)).rejectsOnce(fail('InternalError', 500));
    const store = new S3BinaryStore({ client: mocked, bucket: 'b' });
    await expect(store.head('k')).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining('SlowDown'),
    });
    await expect(store.head('k')).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining('InternalError'),
    });
    mock.restore();
  });
});
