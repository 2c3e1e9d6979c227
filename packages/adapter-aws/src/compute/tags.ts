import type { LaunchRequest } from '@hangar/core';

/**
 * The tags every Hangar machine carries; the runner's bootstrap reads `<prefix>:secret-path`.
 * `<prefix>:launch-key` is the launch's idempotency key: a machine whose launch answer was lost
 * is found by it (`findByLaunchKey`).
 */
export function hangarTags(
  prefix: string,
  request: LaunchRequest,
  extra: Readonly<Record<string, string>> = {},
) {
  return {
    ...extra,
    [`${prefix}:runner-id`]: request.runnerId,
    [`${prefix}:pool-id`]: request.poolId,
    [`${prefix}:owner`]: request.owner,
    [`${prefix}:secret-path`]: request.secretPath,
    [`${prefix}:launch-key`]: request.idempotencyKey,
  };
}
