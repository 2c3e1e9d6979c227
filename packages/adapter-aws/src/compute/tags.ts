import type { LaunchRequest } from '@hangar/core';

/** How a deployment marks its machines: the tag keys' prefix and the deployment's own name. */
export interface MachineTagging {
  readonly prefix: string;
  readonly deployment: string;
}

/**
 * The tags every Hangar machine carries; the runner's bootstrap reads `<prefix>:secret-path`.
 * `<prefix>:launch-key` is the launch's idempotency key: a machine whose launch answer was lost
 * is found by it (`findByLaunchKey`). `<prefix>:deployment` says which deployment launched it:
 * two deployments in one account (or sharing an ECS cluster) each list only their own.
 */
export function hangarTags(
  tagging: MachineTagging,
  request: LaunchRequest,
  extra: Readonly<Record<string, string>> = {},
) {
  const { prefix } = tagging;
  return {
    ...extra,
    [`${prefix}:deployment`]: tagging.deployment,
    [`${prefix}:runner-id`]: request.runnerId,
    [`${prefix}:pool-id`]: request.poolId,
    [`${prefix}:owner`]: request.owner,
    [`${prefix}:secret-path`]: request.secretPath,
    [`${prefix}:launch-key`]: request.idempotencyKey,
  };
}

/** Whether a machine's tags say this deployment launched it. */
export function launchedBy(tagging: MachineTagging, tag: (key: string) => string | undefined): boolean {
  return tag(`${tagging.prefix}:deployment`) === tagging.deployment;
}
