export { S3BinaryStore } from './s3-binary-store';
export type { S3BinaryStoreConfig } from './s3-binary-store';
export { isRetryableS3Error } from './s3-errors';
