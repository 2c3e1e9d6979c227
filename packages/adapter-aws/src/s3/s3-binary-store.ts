import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BinaryStore } from '@hangar/core';
import { s3StatusOf, translateS3Error } from './s3-errors';

/** The user-metadata key (`x-amz-meta-version`) holding the runner binary's release version. */
const VERSION_KEY = 'version';

export interface S3BinaryStoreConfig {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix (folder) inside the bucket, e.g. `actions-runner`; none by default. */
  readonly prefix?: string;
}

/**
 * The runner binaries mirror in S3. The syncer compares `head(key).version` with the latest
 * release and only uploads when they differ, so an unchanged binary is never copied again.
 */
export class S3BinaryStore implements BinaryStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(config: S3BinaryStoreConfig) {
    this.client = config.client;
    this.bucket = config.bucket;
    this.prefix = (config.prefix ?? '').replace(/^\/+|\/+$/g, '');
  }

  private objectKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /** The stored object's version metadata (null when it has none), or null when there is no object. */
  async head(key: string): Promise<{ readonly version: string | null } | null> {
    const objectKey = this.objectKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return { version: out.Metadata?.[VERSION_KEY] ?? null };
    } catch (error) {
      if (s3StatusOf(error) === 404) return null;
      throw translateS3Error(error, 'HeadObject', `s3://${this.bucket}/${objectKey}`);
    }
  }

  async put(key: string, body: Uint8Array, metadata: { readonly version: string }): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: body,
          ContentLength: body.byteLength,
          Metadata: { [VERSION_KEY]: metadata.version },
        }),
      );
    } catch (error) {
      throw translateS3Error(error, 'PutObject', `s3://${this.bucket}/${objectKey}`);
    }
  }
}
