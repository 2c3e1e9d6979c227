import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

/** Default attempts per SSM call (first try included). */
export const DEFAULT_SSM_MAX_ATTEMPTS = 5;
/** Default per-attempt HTTP timeout; Parameter Store answers in tens of milliseconds. */
export const DEFAULT_SSM_REQUEST_TIMEOUT_MS = 3000;

/**
 * An SSMClient set up for Parameter Store's low per-account TPS (40 by default, shared by
 * every Lambda): adaptive retry mode adds client-side rate limiting on top of backoff, so a
 * burst of scale-ups slows down instead of failing, and `maxAttempts` bounds how long one
 * call can keep trying before the adapter reports a retryable DependencyError.
 *
 * Unless a `requestHandler` is given, each attempt times out after 3 s. The Smithy handler only
 * logs a warning on timeout unless `throwOnRequestTimeout` is set, so a hung connection would
 * otherwise hold a Lambda until its own timeout.
 */
export function createSsmClient(config: SSMClientConfig = {}): SSMClient {
  return new SSMClient({
    maxAttempts: DEFAULT_SSM_MAX_ATTEMPTS,
    ...config,
    requestHandler: config.requestHandler ?? {
      requestTimeout: DEFAULT_SSM_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    retryMode: 'adaptive',
  });
}
