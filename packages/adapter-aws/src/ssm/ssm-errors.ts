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
/**
 * Answers with which SSM says it did not apply the request: throttled (after the SDK's retries),
 * refused, or over a limit. A 5xx, a timeout or a dropped connection may follow a write that was
 * applied, so they are not listed.
 */
const NOT_APPLIED_NAMES = new Set([
  'ThrottlingException',
  'TooManyUpdates',
  'AccessDeniedException',
  'ValidationException',
  'ParameterLimitExceeded',
  'ParameterMaxVersionLimitExceeded',
  'HierarchyLevelLimitExceededException',
  'HierarchyTypeMismatchException',
  'InvalidKeyId',
  'UnsupportedParameterType',
  'TooManyTagsError',
]);
/** The AWS error name of an SDK error (`ParameterNotFound`, ...), or undefined. */
export const awsErrorName = sdkErrorName;

/** Throttling, 5xx and dropped connections are retryable; access, validation and limits are not. */
export function isRetryableSsmError(error: unknown): boolean {
  return isRetryableSdkError(error, RETRYABLE_NAMES);
}

/**
 * Wraps any SSM failure as a DependencyError; SDK error types never leave the adapter.
 * `firstWrite`: the failed call is the operation's only write so far, so an answer that SSM did
 * not apply it means nothing was stored (`notApplied`).
 */
export function translateSsmError(
  error: unknown,
  operation: string,
  subject: string,
  firstWrite = false,
): DependencyError {
  const name = awsErrorName(error);
  return new DependencyError(
    'ssm',
    operation,
    `${subject}: ${sdkErrorDetail(error)}`,
    isRetryableSsmError(error),
    {
      cause: error,
      notApplied: firstWrite && name !== undefined && NOT_APPLIED_NAMES.has(name),
    },
  );
}
