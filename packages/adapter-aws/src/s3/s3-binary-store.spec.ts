import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { DependencyError } from '@hangar/core';
import { startSqsS3, type SqsS3Emulator } from '@hangar/test-support/aws/sqs';
import { S3BinaryStore } from './s3-binary-store';

const BUCKET = 'hangar-binaries';
let emulator: SqsS3Emulator;
let client: S3Client;

beforeAll(async () => {
  emulator = await startSqsS3();
  client = new S3Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  });
  await emulator.createBucket(BUCKET);
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('S3BinaryStore against fauxqs S3', () => {
  it('answers null for a key that was never stored', async () => {
    expect(await new S3BinaryStore({ client, bucket: BUCKET }).head('linux-x64.tar.gz')).toBeNull();
  });

  it('returns the version stored with an object, under the configured prefix', async () => {
    const store = new S3BinaryStore({ client, bucket: BUCKET, prefix: 'actions-runner/' });
    await store.put('linux-x64.tar.gz', bytes('runner-2.330.0'), { version: '2.330.0' });
    expect(await store.head('linux-x64.tar.gz')).toEqual({ version: '2.330.0' });
    const raw = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'actions-runner/linux-x64.tar.gz' }),
    );
    expect(await raw.Body?.transformToString()).toBe('runner-2.330.0');
  });

  it('replaces the object and its version on a second put', async () => {
    const store = new S3BinaryStore({ client, bucket: BUCKET, prefix: 'replace' });
    await store.put('win-x64.zip', bytes('old'), { version: '2.329.0' });
    await store.put('win-x64.zip', bytes('new'), { version: '2.330.0' });
    expect(await store.head('win-x64.zip')).toEqual({ version: '2.330.0' });
  });

  it('reports a put into a missing bucket as a non-retryable DependencyError', async () => {
    const error = await new S3BinaryStore({ client, bucket: 'no-such-bucket' })
      .put('k', bytes('x'), { version: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 's3', operation: 'PutObject', retryable: false });
    expect((error as Error).message).toContain('s3://no-such-bucket/k');
  });
});

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
