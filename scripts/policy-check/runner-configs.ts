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

const FARGATE_VOLUME: TfType = object({
  name: tfString,
  container_path: tfString,
  read_only: optional(tfBool, false),
  efs: optional(
    object({
      file_system_id: tfString,
      root_directory: optional(tfString),
      access_point_id: optional(tfString),
      transit_encryption: optional(tfString, 'ENABLED'),
    }),
  ),
});

const BLOCK_DEVICE: TfType = object({
  device_name: optional(tfString),
  volume_type: optional(tfString, 'gp3'),
  volume_size: optional(tfNumber),
  iops: optional(tfNumber),
  throughput: optional(tfNumber),
  encrypted: optional(tfBool, true),
  kms_key_id: optional(tfString),
  snapshot_id: optional(tfString),
  delete_on_termination: optional(tfBool, true),
});

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
        image: optional(tfString),
        task_definition: optional(tfString),
        container_name: optional(tfString, 'runner'),
        cpu: optional(tfNumber, 1024),
        memory: optional(tfNumber, 2048),
        capacity_provider: optional(tfString, 'FARGATE'),
        assign_public_ip: optional(tfBool, false),
        environment: optional(map(tfString), {}),
        secrets: optional(map(tfString), {}),
        ephemeral_storage_gb: optional(tfNumber),
        volumes: optional(list(FARGATE_VOLUME), []),
      }),
    ),
    key_name: optional(tfString),
    associate_public_ipv4_address: optional(tfBool),
    block_device_mappings: optional(list(BLOCK_DEVICE), []),
    metadata_options: optional(
      object({
        http_tokens: optional(tfString, 'required'),
        http_put_response_hop_limit: optional(tfNumber, 1),
      }),
      {},
    ),
    runner_as_root: optional(tfBool, false),
    runner_disable_default_labels: optional(tfBool, false),
    enable_jit_config: optional(tfBool, true),
    enable_userdata: optional(tfBool, true),
    userdata_template: optional(tfString),
    userdata_pre_install: optional(tfString, ''),
    userdata_post_install: optional(tfString, ''),
    runner_hook_job_started: optional(tfString, ''),
    runner_hook_job_completed: optional(tfString, ''),
    install_docker: optional(tfBool, true),
    enable_cloudwatch_agent: optional(tfBool, true),
    runner_log_files: optional(list(object({ file_path: tfString, log_stream_name: tfString })), []),
    cloudwatch_config: optional(tfString),
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

/** What multi-runner hands pools-document per configuration (`var.compute`). */
export interface ComputeInput {
  readonly subnet_ids: readonly string[];
  readonly launch_template_name: string | null;
  readonly instance_types: readonly string[] | null;
  readonly cluster: string | null;
  readonly task_definition: string | null;
  readonly container_name: string | null;
  readonly security_group_ids: readonly string[];
  /** Hangar's task role, given to an existing task definition at RunTask. */
  readonly task_role_arn: string | null;
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
    const fargate = (config.fargate ?? null) as Record<string, Json> | null;
    if (fargate !== null && (fargate.image === null) === (fargate.task_definition === null))
      problems.push(`${where}.fargate: needs exactly one of image or task_definition`);
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
      const fargate = (c.fargate ?? {}) as Record<string, Json>;
      const existing = typeof fargate.task_definition === 'string' ? fargate.task_definition : null;
      const compute: ComputeInput =
        c.compute === 'fargate'
          ? {
              subnet_ids: subnets,
              launch_template_name: null,
              instance_types: null,
              cluster: `${standIns.prefix}-runners`,
              task_definition: existing ?? `${standIns.prefix}-${id}`,
              container_name: String(fargate.container_name ?? 'runner'),
              security_group_ids: [`${standIns.prefix}-runner-sg`, ...standIns.securityGroupIds],
              task_role_arn: existing === null ? null : `${standIns.prefix}-runner-task`,
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
              task_role_arn: null,
            };
      return [id, compute];
    }),
  );
}
