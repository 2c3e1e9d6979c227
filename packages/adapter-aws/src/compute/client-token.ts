import { createHash } from 'node:crypto';

/**
 * EC2 ClientToken / ECS clientToken for a launch idempotency key: deterministic, ASCII and at
 * most 64 characters (both APIs' limit), so the same key always names the same launch. The
 * deployment is part of it: tokens are per account and region, and two deployments serving one
 * organisation derive the same key from the same job.
 */
export function clientTokenFor(deployment: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${deployment}\n${idempotencyKey}`).digest('hex');
  return `hangar-${digest.slice(0, 56)}`;
}

/**
 * Retry settings for the EC2 and ECS clients the compute adapters are given: the SDK retries
 * throttling and 5xx answers a bounded number of times; what still fails becomes a result.
 */
export const COMPUTE_CLIENT_RETRY = { maxAttempts: 3, retryMode: 'adaptive' } as const;
