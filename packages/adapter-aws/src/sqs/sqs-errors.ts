import { DependencyError } from '@hangar/core';
import { isRetryableSdkError, sdkErrorDetail } from '../shared/sdk-errors';

/** SQS error names for conditions that clear by themselves (the SDK already retried them). */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'KmsThrottled',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

/** Throttling, 5xx and dropped connections are retryable; a missing queue, access or validation are not. */
export function isRetryableSqsError(error: unknown): boolean {
  return isRetryableSdkError(error, RETRYABLE_NAMES);
}

/** Wraps any SQS failure as a DependencyError; SDK error types never leave the adapter. */
export function translateSqsError(error: unknown, operation: string, queueUrl: string): DependencyError {
  return new DependencyError(
    'sqs',
    operation,
    `${queueUrl}: ${sdkErrorDetail(error)}`,
    isRetryableSqsError(error),
    {
      cause: error,
    },
  );
}
