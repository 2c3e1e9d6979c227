import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DependencyError } from '@hangar/core';
import { S3BinaryStore } from './s3-binary-store';

/** Where the semantics run: fauxqs's S3 or moto. */
export interface S3Backend {
  endpoint(): string;
}

let suites = 0;
const bytes = (text: string) => new TextEncoder().encode(text);

/**
 * What S3BinaryStore promises, through the S3 API only, so the same cases run against fauxqs
 * and moto. Error shapes (403, SlowDown, 5xx) are specified with a mocked client.
 */
export function s3BinaryStoreSemantics(name: string, backend: S3Backend): void {
  describe(`S3BinaryStore semantics against ${name}`, () => {
    let client: S3Client;
    const bucket = `hangar-binaries-${process.pid}-${(suites += 1)}`;

    beforeAll(async () => {
      client = new S3Client({
        endpoint: backend.endpoint(),
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        forcePathStyle: true,
      });
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(() => client.destroy());

    it('answers null for a key that was never stored', async () => {
      expect(await new S3BinaryStore({ client, bucket }).head('linux-x64.tar.gz')).toBeNull();
    });

    it('returns the version stored with an object, under the configured prefix', async () => {
      const store = new S3BinaryStore({ client, bucket, prefix: 'actions-runner/' });
      await store.put('linux-x64.tar.gz', bytes('runner-2.330.0'), { version: '2.330.0' });
      expect(await store.head('linux-x64.tar.gz')).toEqual({ version: '2.330.0' });
      const raw = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'actions-runner/linux-x64.tar.gz' }),
      );
      expect(await raw.Body?.transformToString()).toBe('runner-2.330.0');
    });

    it('replaces the object and its version on a second put', async () => {
      const store = new S3BinaryStore({ client, bucket, prefix: 'replace' });
      await store.put('win-x64.zip', bytes('old'), { version: '2.329.0' });
      await store.put('win-x64.zip', bytes('new'), { version: '2.330.0' });
      expect(await store.head('win-x64.zip')).toEqual({ version: '2.330.0' });
    });

    it('reports a put into a missing bucket as a non-retryable DependencyError', async () => {
      const missing = `no-such-bucket-${process.pid}`;
      const error = await new S3BinaryStore({ client, bucket: missing })
        .put('k', bytes('x'), { version: '1' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 's3', operation: 'PutObject', retryable: false });
      expect((error as Error).message).toContain(`s3://${missing}/k`);
    });
  });
}
