// The locals of infra/modules/pools-document/main.tf in TypeScript: runner configurations (as
// read by readRunnerConfigs) plus their compute → the pools JSON the runtime reads. Like the
// module, it leaves out top-level fields that are null (the schema accepts "absent", not null),
// and walks the configurations in Terraform's map order (keys sorted), so a priority tie goes
// to the pool id that sorts first. scripts/test/runner-configs.spec.ts compares the two.
import type { Json } from './terraform-types';
import type { ComputeInput, RunnerConfig } from './runner-configs';

type JsonObject = { [key: string]: Json };

/** `{ for key, value in {...} : key => value if value != null }` */
function withoutNulls(entries: Record<string, Json | undefined>): JsonObject {
  return Object.fromEntries(
    Object.entries(entries).filter(
      (entry): entry is [string, Json] => entry[1] !== null && entry[1] !== undefined,
    ),
  );
}

function ec2Compute(c: RunnerConfig, compute: ComputeInput): JsonObject {
  return withoutNulls({
    kind: 'ec2',
    launchTemplateName: compute.launch_template_name,
    subnetIds: [...compute.subnet_ids],
    instanceTypes: compute.instance_types === null ? null : [...compute.instance_types],
    allocationStrategy: c.allocation_strategy,
    onDemandAllocationStrategy: c.on_demand_allocation_strategy,
    spotMaxPrice: c.spot_max_price,
    imageIdSsmParameter: c.ami_ssm_parameter,
    extraTags: c.extra_tags,
  });
}

function fargateCompute(c: RunnerConfig, compute: ComputeInput): JsonObject {
  const fargate = (c.fargate ?? {}) as JsonObject;
  return {
    kind: 'fargate',
    cluster: compute.cluster,
    taskDefinition: compute.task_definition,
    containerName: compute.container_name,
    subnetIds: [...compute.subnet_ids],
    securityGroupIds: [...compute.security_group_ids],
    assignPublicIp: fargate.assign_public_ip ?? null,
    capacityProvider: fargate.capacity_provider ?? null,
    // The module drops the optional task role when unset (local.fargate_documents).
    ...(compute.task_role_arn === null ? {} : { taskRoleArn: compute.task_role_arn }),
  };
}

const OS_LABELS: Readonly<Record<string, string>> = { linux: 'Linux', windows: 'Windows' };
const ARCH_LABELS: Readonly<Record<string, string>> = { x64: 'X64', arm64: 'ARM64' };

/** `local.default_labels` of the module (machines.tf): what GitHub's runner would add itself. */
function defaultLabels(c: RunnerConfig): string[] {
  if (c.runner_disable_default_labels === true) return [];
  const os = c.compute === 'fargate' ? 'linux' : c.os;
  return ['self-hosted', OS_LABELS[os] ?? os, ARCH_LABELS[c.architecture] ?? c.architecture];
}

const entries = (value: Json | undefined) => (value ?? []) as JsonObject[];

/** One pool document, field for field like `local.pools` of the module. */
export function renderPool(id: string, c: RunnerConfig, compute: ComputeInput): JsonObject {
  const v = (attribute: string): Json => c[attribute] ?? null;
  return withoutNulls({
    id,
    labels: v('labels'),
    matching: { mode: v('matching_mode'), priority: v('priority') },
    level: v('level'),
    owner: v('owner'),
    runnerGroup: v('runner_group'),
    namePrefix: v('name_prefix'),
    ephemeral: v('ephemeral'),
    maxRunners: v('max_runners'),
    minimumRunningTimeMinutes: v('minimum_running_time_minutes'),
    bootTimeMinutes: v('boot_time_minutes'),
    jobQueuedCheck: v('job_queued_check'),
    idleWindows: entries(v('idle_windows')).map((w) =>
      withoutNulls({
        cron: w.cron,
        timeZone: w.time_zone,
        idleCount: w.idle_count,
        evictionStrategy: w.eviction_strategy,
      }),
    ),
    poolSchedules: entries(v('pool_schedules')).map((s) =>
      withoutNulls({ cron: s.cron, timeZone: s.time_zone, size: s.size }),
    ),
    capacity: { type: v('capacity_type'), onDemandFailoverFor: v('on_demand_failover_for') },
    maxLaunchAttempts: v('max_launch_attempts'),
    jitConfig: v('enable_jit_config'),
    defaultLabels: defaultLabels(c),
    compute: c.compute === 'fargate' ? fargateCompute(c, compute) : ec2Compute(c, compute),
  });
}

/** The whole pools JSON (`output "pools"` of the module). */
export function renderPools(
  configs: Readonly<Record<string, RunnerConfig>>,
  compute: Readonly<Record<string, ComputeInput>>,
): JsonObject[] {
  return Object.keys(configs)
    .sort()
    .map((id) => renderPool(id, configs[id]!, compute[id]!));
}
