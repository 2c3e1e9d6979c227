import { DependencyError, HangarError } from '@hangar/core';

/** Error names DynamoDB (or the SDK) uses for conditions that pass if the request is repeated. */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node network failures: the request may not have reached DynamoDB at all. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $fault?: 'client' | 'server';
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Whether repeating the request can succeed: throttling, 5xx and network failures can. */
export function isRetryableDynamoDbError(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  if (shape.name && RETRYABLE_NAMES.has(shape.name)) return true;
  if (shape.code && NETWORK_CODES.has(shape.code)) return true;
  if (shape.$retryable) return true;
  if (shape.$fault === 'server') return true;
  const status = shape.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  // No HTTP response at all (socket closed, DNS): the call never completed.
  return shape.$fault === undefined;
}

/**
 * The only way an SDK error leaves this adapter: as a `DependencyError('dynamodb', op, …)`
 * whose `retryable` says whether trying again can help. Core errors pass through unchanged.
 */
export function translateDynamoDbError(operation: string, error: unknown): HangarError {
  if (error instanceof HangarError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const name = shape.name ?? 'Error';
  const message = `${name}: ${shape.message ?? String(error)}`;
  return new DependencyError('dynamodb', operation, message, isRetryableDynamoDbError(error), {
    cause: error,
  });
}
