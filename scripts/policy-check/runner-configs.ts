// The Terraform form of Hangar's pools: `runner_configs`, the snake_case map users write
// (infra/examples/*/pools.json), rendered into the runtime's pools JSON exactly as
// infra/modules/pools-document does. scripts/test/runner-configs.spec.ts keeps this file equal
// to the module: the type below must render to the module's type expression character for
// character, and every example must render to what `terraform apply` of the module outputs.
import {
  childPath,
  convert,
  list,
  map,
  object,
  optional,
  tfBool,
  tfNumber,
  tfString,
  type Json,
  type TfType,
} from './terraform-types';

/** `variable "configurations"` of infra/modules/pools-document (= multi-runner's runner_configs). */
export const RUNNER_CONFIGS_TYPE: TfType = map(
  object({
    labels: list(tfString),
    owner: tfString,
    matching_mode: optional(tfString, 'subset'),
    priority: optional(tfNumber, 999),
    level: optional(tfString, 'org'),
    runner_group: optional(tfString),
    name_prefix: optional(tfString, ''),
    ephemeral: optional(tfBool, true),
    max_runners: optional(tfNumber, -1),
    minimum_running_time_minutes: optional(tfNumber, 5),
    boot_time_minutes: optional(tfNumber, 5),
    job_queued_check: optional(tfBool, true),
    idle_windows: optional(
      list(
        object({
          cron: tfString,
          time_zone: optional(tfString),
          idle_count: tfNumber,
          eviction_strategy: optional(tfString),
        }),
      ),
      [],
    ),
    pool_schedules: optional(
      list(object({ cron: tfString, time_zone: optional(tfString), size: tfNumber })),
      [],
    ),
    capacity_type: optional(tfString, 'spot'),
    on_demand_failover_for: optional(list(tfString), []),
    max_launch_attempts: optional(tfNumber, 3),
    compute: optional(tfString, 'ec2'),
    os: optional(tfString, 'linux'),
    architecture: optional(tfString, 'x64'),
    instance_types: optional(list(tfString)),
    allocation_strategy: optional(tfString, 'price-capacity-optimized'),
    on_demand_allocation_strategy: optional(tfString, 'lowest-price'),
    spot_max_price: optional(tfString),
    ami: optional(object({ owners: list(tfString), name_filters: list(tfString) })),
    ami_ssm_parameter: optional(tfString),
    prebuilt_image: optional(tfBool, false),
    root_volume_size_gb: optional(tfNumber, 30),
    runner_user: optional(tfString),
    extra_tags: optional(map(tfString), {}),
    subnet_ids: optional(list(tfString)),
    fargate: optional(
      object({
        image: tfString,
        cpu: optional(tfNumber, 1024),
        memory: optional(tfNumber, 2048),
        capacity_provider: optional(tfString, 'FARGATE'),
        assign_public_ip: optional(tfBool, false),
      }),
    ),
  }),
);

/** One configuration after Terraform's conversion (every attribute present, null if unset). */
export type RunnerConfig = Record<string, Json> & {
  readonly compute: string;
  readonly architecture: string;
  readonly os: string;
  readonly ephemeral: boolean;
};

/** `local.default_instance_types` of infra/modules/multi-runner (runners-ec2.tf). */
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  x64: ['m7i.large', 'm6i.large', 'm5.large'],
  arm64: ['m7g.large', 'm6g.large'],
};

/** `local.fargate_container_name` of infra/modules/multi-runner (runners-fargate.tf). */
export const FARGATE_CONTAINER_NAME = 'runner';

/** What multi-runner hands pools-document per configuration (`var.compute`). */
export interface ComputeInput {
  readonly subnet_ids: readonly string[];
  readonly launch_template_name: string | null;
  readonly instance_types: readonly string[] | null;
  readonly cluster: string | null;
  readonly task_definition: string | null;
  readonly container_name: string | null;
  readonly security_group_ids: readonly string[];
}

/** Names that exist only once Terraform has created the resources, stood in for offline. */
export interface StandIns {
  readonly prefix: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export const DEFAULT_STAND_INS: StandIns = {
  prefix: 'hangar',
  subnetIds: ['subnet-stand-in'],
  securityGroupIds: [],
};

/**
 * Reads a runner_configs map as Terraform would (see terraform-types.ts), then applies the
 * module's validations that the runtime schema cannot see because their fields never reach
 * the pools JSON (os, architecture, the Fargate block). Problems are `runner_configs...: reason`.
 */
export function readRunnerConfigs(
  value: unknown,
  path = 'runner_configs',
): { configs: Record<string, RunnerConfig>; problems: string[] } {
  const problems: string[] = [];
  const converted = convert(value, RUNNER_CONFIGS_TYPE, path, problems);
  const configs = (converted ?? {}) as Record<string, RunnerConfig>;
  if (converted !== null && Object.keys(configs).length === 0)
    problems.push(`${path}: needs at least one entry`);
  for (const [id, config] of Object.entries(configs)) {
    const where = childPath(path, id);
    if (!['ec2', 'fargate'].includes(config.compute))
      problems.push(`${where}.compute: must be ec2 or fargate`);
    if (config.compute === 'fargate' && config.fargate === null)
      problems.push(`${where}.fargate: a fargate configuration needs a fargate block with the runner image`);
    if (config.compute === 'fargate' && !config.ephemeral)
      problems.push(`${where}.ephemeral: must be true for fargate (a task runs one job)`);
    if (!['linux', 'windows'].includes(config.os)) problems.push(`${where}.os: must be linux or windows`);
    if (!['x64', 'arm64'].includes(config.architecture))
      problems.push(`${where}.architecture: must be x64 or arm64`);
    if (config.os === 'windows' && config.architecture === 'arm64')
      problems.push(`${where}: Windows runners are x64 only`);
  }
  return { configs, problems };
}

/** multi-runner's `compute` argument to pools-document (ssm.tf), with stand-in resource names. */
export function standInCompute(
  configs: Readonly<Record<string, RunnerConfig>>,
  standIns: StandIns = DEFAULT_STAND_INS,
): Record<string, ComputeInput> {
  return Object.fromEntries(
    Object.entries(configs).map(([id, c]) => {
      const subnets = (c.subnet_ids as string[] | null) ?? standIns.subnetIds;
      const compute: ComputeInput =
        c.compute === 'fargate'
          ? {
              subnet_ids: subnets,
              launch_template_name: null,
              instance_types: null,
              cluster: `${standIns.prefix}-runners`,
              task_definition: `${standIns.prefix}-${id}`,
              container_name: FARGATE_CONTAINER_NAME,
              security_group_ids: [`${standIns.prefix}-runner-sg`, ...standIns.securityGroupIds],
            }
          : {
              subnet_ids: subnets,
              launch_template_name: `${standIns.prefix}-${id}`,
              instance_types:
                (c.instance_types as string[] | null) ?? DEFAULT_INSTANCE_TYPES[c.architecture] ?? [],
              cluster: null,
              task_definition: null,
              container_name: null,
              security_group_ids: [],
            };
      return [id, compute];
    }),
  );
}
