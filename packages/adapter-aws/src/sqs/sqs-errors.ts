import { DependencyError } from '@hangar/core';

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
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Throttling, 5xx and dropped connections are retryable; a missing queue, access or validation are not. */
export function isRetryableSqsError(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (typeof shape.name === 'string' && RETRYABLE_NAMES.has(shape.name)) return true;
  return typeof shape.code === 'string' && RETRYABLE_NETWORK_CODES.has(shape.code);
}

/** Wraps any SQS failure as a DependencyError; SDK error types never leave the adapter. */
export function translateSqsError(error: unknown, operation: string, queueUrl: string): DependencyError {
  const shape = (error ?? {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const detail =
    typeof shape.message === 'string' && shape.message.length > 0 ? `${name}: ${shape.message}` : name;
  return new DependencyError('sqs', operation, `${queueUrl}: ${detail}`, isRetryableSqsError(error), {
    cause: error,
  });
}
