import { DependencyError } from '@hangar/core';

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
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** The AWS error name of an SDK error (`ParameterNotFound`, ...), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Throttling, 5xx and dropped connections are retryable; access, validation and limits are not. */
export function isRetryableSsmError(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  const name = awsErrorName(error);
  if (name && RETRYABLE_NAMES.has(name)) return true;
  return typeof shape.code === 'string' && RETRYABLE_NETWORK_CODES.has(shape.code);
}

/** Wraps any SSM failure as a DependencyError; SDK error types never leave the adapter. */
export function translateSsmError(error: unknown, operation: string, subject: string): DependencyError {
  const name = awsErrorName(error) ?? 'Error';
  const message = (error as SdkErrorShape | null)?.message;
  const detail = typeof message === 'string' && message.length > 0 ? `${name}: ${message}` : name;
  return new DependencyError('ssm', operation, `${subject}: ${detail}`, isRetryableSsmError(error), {
    cause: error,
  });
}
