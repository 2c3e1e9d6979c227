import { DependencyError } from '@hangar/core';

/** S3 error names for conditions that clear by themselves (the SDK already retried them). */
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** HTTP status of an SDK error, when the service answered. */
export function s3StatusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** SlowDown, 5xx and dropped connections are retryable; access, missing bucket and validation are not. */
export function isRetryableS3Error(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = s3StatusOf(error);
  if (status !== undefined && status >= 500) return true;
  if (typeof shape.name === 'string' && RETRYABLE_NAMES.has(shape.name)) return true;
  return typeof shape.code === 'string' && RETRYABLE_NETWORK_CODES.has(shape.code);
}

/** Wraps any S3 failure as a DependencyError; SDK error types never leave the adapter. */
export function translateS3Error(error: unknown, operation: string, location: string): DependencyError {
  const shape = (error ?? {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  let detail =
    typeof shape.message === 'string' && shape.message.length > 0 ? `${name}: ${shape.message}` : name;
  if (operation === 'HeadObject' && s3StatusOf(error) === 403) {
    // HEAD has no body, so S3 cannot say why; without s3:ListBucket a missing key is a 403, not a 404.
    detail += ' (a missing object answers 403 when the role lacks s3:ListBucket on the bucket)';
  }
  return new DependencyError('s3', operation, `${location}: ${detail}`, isRetryableS3Error(error), {
    cause: error,
  });
}
