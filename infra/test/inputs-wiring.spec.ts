import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { HANDLER_NAMES } from '@hangar/runtime-lambda/config/environment';
import { INFRA, isObject, loadModule, only } from './support/hcl';
import { loadProviderSchema, SCHEMA_PACKAGES } from './support/provider-schema';
import { declaredType, elementOf, expressionAt, fits, schemaTypeAt, type Wire } from './support/wiring';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const schema = loadProviderSchema(SCHEMA_PACKAGES.awsFloor);

// Every input issue 12 adds, the argument it must reach and its declared type there.
const WIRES: readonly Wire[] = [
  {
    input: 'var.lambda_memory_sizes',
    type: 'map(number)',
    resource: 'aws_lambda_function.handler',
    path: ['memory_size'],
    uses: 'lookup(var.lambda_memory_sizes, each.key, var.lambda_memory_size)',
  },
  {
    input: 'var.tracing_mode',
    type: 'string',
    resource: 'aws_lambda_function.handler',
    path: ['tracing_config', 'mode'],
    uses: 'tracing_config.value',
  },
  {
    input: 'runner_configs.key_name',
    type: 'string',
    resource: 'aws_launch_template.runner',
    path: ['key_name'],
    uses: 'module.pools_document.machines[each.key].key_name',
  },
  {
    input: 'runner_configs.associate_public_ipv4_address',
    type: 'bool',
    resource: 'aws_launch_template.runner',
    path: ['network_interfaces', 'associate_public_ip_address'],
    uses: 'module.pools_document.machines[each.key].associate_public_ipv4_address',
  },
  {
    input: 'runner_configs.metadata_options.http_tokens',
    type: 'string',
    resource: 'aws_launch_template.runner',
    path: ['metadata_options', 'http_tokens'],
    uses: 'module.pools_document.machines[each.key].metadata_options.http_tokens',
  },
  {
    input: 'runner_configs.metadata_options.http_put_response_hop_limit',
    type: 'number',
    resource: 'aws_launch_template.runner',
    path: ['metadata_options', 'http_put_response_hop_limit'],
    uses: 'module.pools_document.machines[each.key].metadata_options.http_put_response_hop_limit',
  },
  {
    input: 'runner_configs.block_device_mappings.volume_type',
    type: 'string',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'volume_type'],
    uses: 'block_device_mappings.value.volume_type',
  },
  {
    input: 'runner_configs.block_device_mappings.volume_size',
    type: 'number',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'volume_size'],
    uses: 'block_device_mappings.value.volume_size',
  },
  {
    input: 'runner_configs.block_device_mappings.iops',
    type: 'number',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'iops'],
    uses: 'block_device_mappings.value.iops',
  },
  {
    input: 'runner_configs.block_device_mappings.throughput',
    type: 'number',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'throughput'],
    uses: 'block_device_mappings.value.throughput',
  },
  {
    input: 'runner_configs.block_device_mappings.encrypted',
    type: 'bool',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'encrypted'],
    uses: 'block_device_mappings.value.encrypted',
  },
  {
    input: 'runner_configs.block_device_mappings.kms_key_id',
    type: 'string',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'kms_key_id'],
    uses: 'block_device_mappings.value.kms_key_id',
  },
  {
    input: 'runner_configs.block_device_mappings.snapshot_id',
    type: 'string',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'snapshot_id'],
    uses: 'block_device_mappings.value.snapshot_id',
  },
  {
    input: 'runner_configs.block_device_mappings.delete_on_termination',
    type: 'bool',
    resource: 'aws_launch_template.runner',
    path: ['block_device_mappings', 'ebs', 'delete_on_termination'],
    uses: 'block_device_mappings.value.delete_on_termination',
  },
  {
    input: 'runner_configs.enable_userdata',
    type: 'bool',
    resource: 'aws_launch_template.runner',
    path: ['user_data'],
    uses: 'each.value.enable_userdata ? base64encode(local.runner_bootstrap[each.key]) : null',
  },
  {
    input: 'runner_configs.fargate.ephemeral_storage_gb',
    type: 'number',
    resource: 'aws_ecs_task_definition.runner',
    path: ['ephemeral_storage', 'size_in_gib'],
    uses: 'ephemeral_storage.value',
  },
  {
    input: 'runner_configs.fargate.volumes.name',
    type: 'string',
    resource: 'aws_ecs_task_definition.runner',
    path: ['volume', 'name'],
    uses: 'volume.value.name',
  },
  {
    input: 'runner_configs.fargate.volumes.efs.file_system_id',
    type: 'string',
    resource: 'aws_ecs_task_definition.runner',
    path: ['volume', 'efs_volume_configuration', 'file_system_id'],
    uses: 'efs_volume_configuration.value.file_system_id',
  },
  {
    input: 'runner_configs.fargate.volumes.efs.transit_encryption',
    type: 'string',
    resource: 'aws_ecs_task_definition.runner',
    path: ['volume', 'efs_volume_configuration', 'transit_encryption'],
    uses: 'efs_volume_configuration.value.transit_encryption',
  },
  {
    input: 'runner_configs.fargate.volumes.efs.access_point_id',
    type: 'string',
    resource: 'aws_ecs_task_definition.runner',
    path: ['volume', 'efs_volume_configuration', 'authorization_config', 'access_point_id'],
    uses: 'authorization_config.value',
  },
];

function resourceBlock(address: string) {
  const [type, name] = address.split('.');
  return only(multi.resource[type ?? '']?.[name ?? ''], address);
}

describe('new inputs reach their resources', () => {
  it.each(WIRES.map((w): [string, Wire] => [`${w.input} → ${w.resource}.${w.path.join('.')}`, w]))(
    '%s, with a type the argument accepts',
    (_name, wire) => {
      const problems: string[] = [];
      const declared = declaredType(multi, wire.input);
      if (declared.replace(/\s/g, '') !== wire.type.replace(/\s/g, ''))
        problems.push(`${wire.input} is declared ${declared}, expected ${wire.type}`);
      const expression = expressionAt(resourceBlock(wire.resource), wire.path) ?? '(unset)';
      if (!expression.includes(wire.uses)) problems.push(`${wire.path.join('.')} = ${expression}`);
      const argument = schemaTypeAt(schema, wire.resource.split('.')[0] ?? '', wire.path);
      if (!fits(wire.type, argument) && !fits(elementOf(wire.type), argument))
        problems.push(`${wire.type} does not fit ${argument}`);
      expect(problems).toEqual([]);
    },
  );

  it('finds the declared type of an attribute of one runner configuration (the check can see it)', () => {
    expect(declaredType(multi, 'runner_configs.ephemeral')).toBe('bool');
    expect(declaredType(multi, 'runner_configs.fargate.cpu')).toBe('number');
    expect(fits('string', 'number')).toBe(false);
  });

  it('turns on the tracer in every function exactly when tracing_mode is set, with X-Ray write access', () => {
    const environment = multi.locals.handler_environment;
    const missing = HANDLER_NAMES.filter(
      (name) =>
        !isObject(environment) ||
        !isObject(environment[name]) ||
        environment[name].POWERTOOLS_TRACE_ENABLED !== '${local.trace_enabled}',
    );
    expect(missing).toEqual([]);
    expect(multi.locals.trace_enabled).toBe('${var.tracing_mode == null ? null : "true"}');
    const xray = resourceBlock('aws_iam_role_policy_attachment.lambda_xray');
    expect(xray.for_each).toBe('${var.tracing_mode == null ? {} : local.handlers}');
    expect(String(xray.policy_arn)).toMatch(/:iam::aws:policy\/AWSXRayDaemonWriteAccess$/);
  });

  it('invokes the binaries syncer once at apply, after its permissions exist, unless turned off', () => {
    const invocation = resourceBlock('aws_lambda_invocation.binaries_sync');
    expect(invocation.count).toBe('${var.binaries_sync_on_apply ? 1 : 0}');
    expect(invocation.function_name).toBe('${aws_lambda_function.handler["binaries-syncer"].function_name}');
    expect(invocation.depends_on).toEqual(expect.arrayContaining(['${aws_iam_role_policy.lambda}']));
    expect(Object.keys(isObject(invocation.triggers) ? invocation.triggers : {}).sort()).toEqual([
      'bucket',
      'platforms',
      'prerelease',
    ]);
    expect(only(multi.variable.binaries_sync_on_apply, 'binaries_sync_on_apply').default).toBe(true);
  });
});
