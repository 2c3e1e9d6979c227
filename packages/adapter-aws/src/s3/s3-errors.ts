import { DependencyError } from '@hangar/core';
import { isRetryableSdkError, sdkErrorDetail, sdkStatusOf } from '../shared/sdk-errors';

/** S3 error names for conditions that clear by themselves (the SDK already retried them). */
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

/** HTTP status of an SDK error, when the service answered. */
export const s3StatusOf = sdkStatusOf;

/** SlowDown, 5xx and dropped connections are retryable; access, missing bucket and validation are not. */
export function isRetryableS3Error(error: unknown): boolean {
  return isRetryableSdkError(error, RETRYABLE_NAMES);
}

/** Wraps any S3 failure as a DependencyError; SDK error types never leave the adapter. */
export function translateS3Error(error: unknown, operation: string, location: string): DependencyError {
  let detail = sdkErrorDetail(error);
  if (operation === 'HeadObject' && s3StatusOf(error) === 403) {
    // HEAD has no body, so S3 cannot say why; without s3:ListBucket a missing key is a 403, not a 404.
    detail += ' (a missing object answers 403 when the role lacks s3:ListBucket on the bucket)';
  }
  return new DependencyError('s3', operation, `${location}: ${detail}`, isRetryableS3Error(error), {
    cause: error,
  });
}
