import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

/** Default attempts per SSM call (first try included). */
export const DEFAULT_SSM_MAX_ATTEMPTS = 5;

/**
 * An SSMClient set up for Parameter Store's low per-account TPS (40 by default, shared by
 * every Lambda): adaptive retry mode adds client-side rate limiting on top of backoff, so a
 * burst of scale-ups slows down instead of failing, and `maxAttempts` bounds how long one
 * call can keep trying before the adapter reports a retryable DependencyError.
 */
export function createSsmClient(config: SSMClientConfig = {}): SSMClient {
  return new SSMClient({ maxAttempts: DEFAULT_SSM_MAX_ATTEMPTS, ...config, retryMode: 'adaptive' });
}
