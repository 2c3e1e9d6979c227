// The EC2 side of a runner configuration: capacity, instance types, AMI (volumes and the rest of
// the machine: machine.ts).
import { childPath, map, tfBool, tfNumber, tfString, type Json } from '../policy-check/terraform-types';
import { read, type Messages } from './messages';
import type { RunnerInput } from './input';
import { AMI, strings } from './reference-types';

type JsonObject = { [key: string]: Json };

const SPOT_STRATEGIES = [
  'lowest-price',
  'price-capacity-optimized',
  'capacity-optimized',
  'capacity-optimized-prioritized',
  'diversified',
];
const ON_DEMAND_STRATEGIES = ['lowest-price', 'prioritized'];

function capacity(runner: RunnerInput, all: Messages, out: JsonObject): 'spot' | 'on-demand' {
  const { config, configPath } = runner;
  let type = read<string>(all, config, 'instance_target_capacity_type', tfString, configPath);
  if (type === undefined && 'market_options' in config)
    type = config.market_options === 'spot' ? 'spot' : 'on-demand';
  if (type !== undefined && type !== 'spot' && type !== 'on-demand') {
    all.error(
      childPath(configPath, 'instance_target_capacity_type'),
      `must be spot or on-demand, got "${type}"`,
    );
  }
  const capacityType = type === 'on-demand' ? 'on-demand' : 'spot';
  if (capacityType === 'on-demand') out.capacity_type = 'on-demand';
  const failover =
    read<string[]>(all, config, 'enable_on_demand_failover_for_errors', strings, configPath) ??
    read<string[]>(all, config, 'enable_runner_on_demand_failover_for_errors', strings, configPath) ??
    [];
  if (failover.length > 0) out.on_demand_failover_for = failover;
  const strategy = read<string>(all, config, 'instance_allocation_strategy', tfString, configPath);
  const allowed = capacityType === 'spot' ? SPOT_STRATEGIES : ON_DEMAND_STRATEGIES;
  const hangarDefault = capacityType === 'spot' ? 'price-capacity-optimized' : 'lowest-price';
  if (strategy !== undefined && allowed.includes(strategy)) {
    if (strategy !== hangarDefault)
      out[capacityType === 'spot' ? 'allocation_strategy' : 'on_demand_allocation_strategy'] = strategy;
  } else if (strategy !== undefined) {
    all.warn(
      childPath(configPath, 'instance_allocation_strategy'),
      `not carried over: "${strategy}" is not a CreateFleet ${capacityType} strategy (${allowed.join(', ')}); Hangar's default applies`,
    );
  }
  return capacityType;
}

function instanceTypes(runner: RunnerInput, all: Messages, out: JsonObject): void {
  const { config, configPath } = runner;
  const single = read<string>(all, config, 'instance_type', tfString, configPath);
  let types =
    read<string[]>(all, config, 'instance_types', strings, configPath) ?? (single ? [single] : undefined);
  const priorities = read<Record<string, number>>(
    all,
    config,
    'instance_type_priorities',
    map(tfNumber),
    configPath,
  );
  if (types && priorities) {
    const rank = (type: string) => priorities[type] ?? Number.MAX_SAFE_INTEGER;
    types = [...types].sort((a, b) => rank(a) - rank(b));
  }
  if (types && types.length > 0) out.instance_types = types;
  const price = read<string>(all, config, 'instance_max_spot_price', tfString, configPath);
  if (price !== undefined) out.spot_max_price = price;
}

/** `arn:aws:ssm:region:account:parameter/path/name` → `/path/name`. */
function parameterName(arn: string): string {
  const match = /:parameter(\/.*)$/.exec(arn);
  return match ? match[1]! : arn;
}

function image(runner: RunnerInput, all: Messages, out: JsonObject): void {
  const { config, configPath } = runner;
  const ami = read<JsonObject>(all, config, 'ami', AMI, configPath);
  const filter = (ami?.filter ?? read<JsonObject>(all, config, 'ami_filter', map(strings), configPath)) as
    Record<string, string[]> | null | undefined;
  const owners = (ami?.owners ?? read<string[]>(all, config, 'ami_owners', strings, configPath)) as
    string[] | null;
  const where = childPath(configPath, ami ? 'ami' : 'ami_filter');
  const parameterArn = ami?.id_ssm_parameter_arn as string | null | undefined;
  const parameter = parameterArn
    ? parameterName(parameterArn)
    : read<string>(all, config, 'ami_id_ssm_parameter_name', tfString, configPath);
  if (parameter) out.ami_ssm_parameter = parameter;
  for (const [name, values] of Object.entries(filter ?? {})) {
    if (name === 'name' || (name === 'state' && values.join() === 'available')) continue;
    all.warn(childPath(where, name), 'not carried over: Hangar selects AMIs by name filter and owners only');
  }
  if (!parameter && filter?.name) out.ami = { owners: owners ?? ['amazon'], name_filters: filter.name };
  else if (!parameter && owners && owners.join() !== 'amazon') {
    all.warn(
      childPath(where, 'owners'),
      "not carried over: owners without a name filter; Hangar's default AMI applies",
    );
  }
  if (ami?.kms_key_arn) {
    all.warn(
      childPath(where, 'kms_key_arn'),
      'not carried over: set the module input ebs_kms_key_arn to this key if it also encrypts the root volume; launching from an AMI encrypted with another key is not supported',
    );
  }
}

/** Writes the EC2 attributes of one pool into `out` (`multi`: subnet_ids is per configuration). */
export function ec2Settings(
  runner: RunnerInput,
  all: Messages,
  out: JsonObject,
  os: string,
  multi: boolean,
): void {
  const { config, configPath } = runner;
  capacity(runner, all, out);
  instanceTypes(runner, all, out);
  image(runner, all, out);
  if (read<boolean>(all, config, 'enable_runner_binaries_syncer', tfBool, configPath) === false) {
    out.prebuilt_image = true;
    all.note(
      childPath(configPath, 'enable_runner_binaries_syncer'),
      'written as prebuilt_image = true: check that your AMI has the runner in /opt/actions-runner (C:\\actions-runner on Windows)',
    );
  }
  const user = read<string>(all, config, 'runner_run_as', tfString, configPath);
  if (user !== undefined && user !== 'ec2-user') out.runner_user = user;
  const tags = read<Record<string, string>>(all, config, 'runner_ec2_tags', map(tfString), configPath);
  if (tags && Object.keys(tags).length > 0) out.extra_tags = tags;
  // In the root module subnet_ids is the deployment's, read with the module inputs.
  const subnets = multi ? read<string[]>(all, config, 'subnet_ids', strings, configPath) : undefined;
  if (subnets && subnets.length > 0) out.subnet_ids = subnets;
}

/** Every runner key this file reads (the rest are reported by their fate). */
export const COMPUTE_KEYS = [
  'instance_target_capacity_type',
  'market_options',
  'enable_on_demand_failover_for_errors',
  'enable_runner_on_demand_failover_for_errors',
  'instance_allocation_strategy',
  'instance_type',
  'instance_types',
  'instance_type_priorities',
  'instance_max_spot_price',
  'ami',
  'ami_filter',
  'ami_owners',
  'ami_id_ssm_parameter_name',
  'enable_runner_binaries_syncer',
  'runner_run_as',
  'runner_ec2_tags',
  'subnet_ids',
];
