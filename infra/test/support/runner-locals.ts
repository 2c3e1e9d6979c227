import { join } from 'node:path';
import { INFRA, isObject, only, type Module } from './hcl';
import { toHcl, unwrap } from './hcl-text';
import { evaluateFiles } from './terraform';

export const MULTI = join(INFRA, 'modules', 'multi-runner');
export const BINARIES_BUCKET = 'hangar-binaries-test';

/** The locals of multi-runner that turn runner_configs into user data and agent configuration. */
const LOCALS = [
  'handlers',
  'default_instance_types',
  'default_runner_user',
  'ec2_configs',
  'runner_log_group_name',
  'runner_log_paths',
  'cloudwatch_configs',
  'runner_template_variables',
  'runner_bootstrap',
] as const;

/** What stands in for the provider-bound references those locals make. */
const STAND_INS: readonly [string, string][] = [
  ['aws_s3_bucket.binaries.id', JSON.stringify(BINARIES_BUCKET)],
  ['aws_sqs_queue.scale_up.visibility_timeout_seconds', 'local.scale_up_visibility'],
  ['${path.module}', MULTI],
  ['path.module', JSON.stringify(MULTI)],
];

function substituted(expression: string): string {
  const text = STAND_INS.reduce((t, [from, to]) => t.replaceAll(from, to), expression);
  const left = /\b(aws_[a-z_]+\.|data\.|module\.)/.exec(text);
  if (left) throw new Error(`unresolved reference ${left[0]} in ${text.slice(0, 200)}`);
  return text;
}

/** What the module renders for each EC2 configuration, evaluated by terraform. */
export interface RunnerRendering {
  /** The launch template's user_data (base64), null with enable_userdata = false. */
  readonly userData: Record<string, string | null>;
  readonly cloudwatch: Record<string, string>;
  readonly variables: Record<string, Record<string, string>>;
}

/**
 * Evaluates multi-runner's own user-data locals and the launch template's `user_data`
 * expression for `configs` (runner_configs as an operator writes them, typed by the module's
 * own variable type) in a provider-free root: only the bucket name, the region and the queue's
 * visibility timeout stand in for what AWS would return.
 */
export function renderRunners(multi: Module, configs: Record<string, unknown>): RunnerRendering {
  const type = unwrap(only(multi.variable.runner_configs, 'runner_configs').type);
  const locals = LOCALS.map((name) => `  ${name} = ${substituted(toHcl(multi.locals[name] ?? null))}`);
  const queue = only(multi.resource.aws_sqs_queue?.scale_up, 'aws_sqs_queue.scale_up');
  const wait = unwrap(multi.locals.runner_secret_wait_seconds);
  const launchTemplate = only(multi.resource.aws_launch_template?.runner, 'aws_launch_template.runner');
  const userData = unwrap(launchTemplate.user_data)
    .replaceAll('each.value', 'c')
    .replaceAll('each.key', 'id');
  const main = `variable "runner_configs" {
  type = ${type}
}
variable "prefix" {
  type    = string
  default = "hangar"
}
variable "lambda_timeouts" {
  type    = map(number)
  default = {}
}
locals {
  region                     = "us-east-1"
  scale_up_visibility        = ${substituted(unwrap(queue.visibility_timeout_seconds))}
  runner_secret_wait_seconds = ${substituted(wait)}
${locals.join('\n')}
}
output "all" {
  value = {
    userData   = { for id, c in local.ec2_configs : id => ${userData} }
    cloudwatch = local.cloudwatch_configs
    variables  = local.runner_template_variables
  }
}
`;
  const result = evaluateFiles(
    { 'main.tf': main, 'terraform.tfvars.json': JSON.stringify({ runner_configs: configs }) },
    'all',
  );
  if (!result.ok) throw new Error(result.error);
  const value = result.value as RunnerRendering;
  if (!isObject(value as never)) throw new Error('no rendering');
  return value;
}
