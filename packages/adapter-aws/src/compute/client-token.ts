import { createHash } from 'node:crypto';

/**
 * EC2 ClientToken / ECS clientToken for a launch idempotency key: deterministic, ASCII and at
 * most 64 characters (both APIs' limit), so the same key always names the same launch.
 */
export function clientTokenFor(idempotencyKey: string): string {
  return `hangar-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 56)}`;
}

/**
 * Retry settings for the EC2 and ECS clients the compute adapters are given: the SDK retries
 * throttling and 5xx answers a bounded number of times; what still fails becomes a result.
 */
export const COMPUTE_CLIENT_RETRY = { maxAttempts: 3, retryMode: 'adaptive' } as const;
