import { DependencyError } from '@hangar/core';
import { isRetryableSdkError, sdkErrorDetail, sdkErrorName } from '../shared/sdk-errors';

/**
 * Error names SSM (or the network under it) reports for conditions that clear by themselves.
 * The SDK has already retried these `maxAttempts` times with adaptive backoff when they reach
 * us, so the caller learns "retry later", not "retry now".
 */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyUpdates',
  'InternalServerError',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);
/** The AWS error name of an SDK error (`ParameterNotFound`, ...), or undefined. */
export const awsErrorName = sdkErrorName;

/** Throttling, 5xx and dropped connections are retryable; access, validation and limits are not. */
export function isRetryableSsmError(error: unknown): boolean {
  return isRetryableSdkError(error, RETRYABLE_NAMES);
}

/** Wraps any SSM failure as a DependencyError; SDK error types never leave the adapter. */
export function translateSsmError(error: unknown, operation: string, subject: string): DependencyError {
  return new DependencyError(
    'ssm',
    operation,
    `${subject}: ${sdkErrorDetail(error)}`,
    isRetryableSsmError(error),
    {
      cause: error,
    },
  );
}
