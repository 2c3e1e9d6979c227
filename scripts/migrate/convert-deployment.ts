// The reference's deployment-wide inputs → Hangar's module inputs. Secrets (the App key, the
// webhook secret) are never copied: the warnings say what to write instead.
import { childPath, map, tfBool, tfNumber, tfString, type Json } from '../policy-check/terraform-types';
import { isRecord, read, type Input, type Messages } from './messages';
import { EGRESS_RULES, GITHUB_APP, QUEUE_ENCRYPTION, strings } from './reference-types';
import { LAMBDA_KEYS, lambdaSettings } from './lambdas';
import { MACHINE_DEPLOYMENT_KEYS } from './machine';
import type { Shared } from './shared';

const LOG_RETENTION = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const LOG_LEVELS: Readonly<Record<string, string>> = {
  silly: 'DEBUG',
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};
const TIMEOUTS: Readonly<Record<string, string>> = {
  webhook_lambda_timeout: 'webhook',
  runners_scale_up_lambda_timeout: 'scale-up',
  runners_scale_down_lambda_timeout: 'scale-down',
  runner_binaries_syncer_lambda_timeout: 'binaries-syncer',
  pool_lambda_timeout: 'pool',
};
const SAME_NAME = {
  vpc_id: tfString,
  lambda_s3_bucket: tfString,
  lambda_subnet_ids: strings,
  lambda_security_group_ids: strings,
};

export const DEPLOYMENT_HANDLED = new Set([
  'prefix',
  'environment',
  'tags',
  'subnet_ids',
  'github_app',
  'additional_github_apps',
  'kms_key_arn',
  'logging_kms_key_id',
  'logging_retention_in_days',
  'log_level',
  'lambda_architecture',
  'role_permissions_boundary',
  'role_path',
  'instance_profile_path',
  'repository_white_list',
  'ghes_url',
  'ghes_ssl_verify',
  'runner_egress_rules',
  'queue_encryption',
  'runner_binaries_s3_sse_configuration',
  'runner_allow_prerelease_binaries',
  'runner_additional_security_group_ids',
  ...Object.keys(TIMEOUTS),
  ...Object.keys(SAME_NAME),
  ...LAMBDA_KEYS,
  // Written into every pool (machine.ts).
  ...MACHINE_DEPLOYMENT_KEYS,
]);

/** `<prefix>-hangar`, within Hangar's prefix rule (a letter first, letters/digits/dashes, ≤ 32). */
export function hangarPrefix(reference: string): string {
  let base = reference
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '');
  if (base === '') base = 'github-runners';
  return `${base.slice(0, 25).replace(/-+$/, '')}-hangar`;
}

const SSM_KEYS = ['id_ssm', 'key_base64_ssm', 'webhook_secret_ssm'] as const;
const arnOf = (parameter: Json | undefined) => (parameter as { arn: string }).arn;

/**
 * The App credentials. Values are secrets and never copied; parameters the operator manages
 * (`*_ssm`, seed 002's set-up) are only names, so all three become github_app_parameters, with
 * additional Apps kept the same way.
 */
function githubApps(
  input: Input,
  all: Messages,
  out: Record<string, Json>,
  path: (key: string) => string,
): void {
  const app = read<Record<string, Json>>(all, input, 'github_app', GITHUB_APP, '');
  const extra = Array.isArray(input.additional_github_apps)
    ? (input.additional_github_apps as Record<string, Json>[])
    : [];
  if (app) {
    const ssm = SSM_KEYS.filter((key) => app[key] !== null && app[key] !== undefined);
    const extraInSsm = extra.filter((e) => e.id_ssm && e.key_base64_ssm);
    if (ssm.length === SSM_KEYS.length && extraInSsm.length === extra.length) {
      out.github_app_parameters = {
        apps: [app, ...extra].map((a) => ({ id: arnOf(a.id_ssm), private_key: arnOf(a.key_base64_ssm) })),
        webhook_secret: arnOf(app.webhook_secret_ssm),
      };
      all.note(
        path('github_app'),
        'the parameters you manage became github_app_parameters (names only: the keys stay out of Terraform; base64 keys are read as they are)',
      );
      return;
    }
    const id = app.id ?? '<app id>';
    all.warn(
      path('github_app'),
      `not copied (secrets): write github_apps = [{ app_id = ${id}, private_key = base64decode(<key_base64>) }] — best for a second App while both modules run (see docs/migrating.md)${ssm.length > 0 ? `; ${ssm.join(', ')}: github_app_parameters takes parameters you manage, but needs all of ${SSM_KEYS.join(', ')} (and for every additional App its id_ssm and key_base64_ssm)` : ''}; webhook_secret: leave unset and Hangar generates one`,
    );
  }
  if (extra.length > 0 && out.github_app_parameters === undefined) {
    all.warn(
      path('additional_github_apps'),
      `not copied (secrets): add ${extra.length} more entries to github_apps`,
    );
  }
}

function egress(input: Input, all: Messages, out: Record<string, Json>, path: (key: string) => string): void {
  const rules = read<Record<string, Json>[]>(all, input, 'runner_egress_rules', EGRESS_RULES, '');
  if (!rules) return;
  const cidrs = [...new Set(rules.flatMap((rule) => (rule.cidr_blocks as string[] | null) ?? []))];
  const narrower = rules.some(
    (rule) =>
      (rule.protocol !== null && rule.protocol !== '-1') ||
      ((rule.ipv6_cidr_blocks as string[] | null) ?? []).some((cidr) => cidr !== '::/0') ||
      ((rule.prefix_list_ids as string[] | null) ?? []).length > 0 ||
      ((rule.security_groups as string[] | null) ?? []).length > 0,
  );
  if (narrower) {
    all.warn(
      path('runner_egress_rules'),
      'partly carried over: Hangar allows all egress to runner_egress_cidr_blocks (IPv4); ports, protocols, IPv6, prefix lists and security-group rules are not carried',
    );
  }
  if (cidrs.length > 0 && !(cidrs.length === 1 && cidrs[0] === '0.0.0.0/0'))
    out.runner_egress_cidr_blocks = cidrs;
}

function encryption(
  input: Input,
  all: Messages,
  out: Record<string, Json>,
  path: (key: string) => string,
): void {
  const queue = read<Record<string, Json>>(all, input, 'queue_encryption', QUEUE_ENCRYPTION, '');
  if (queue?.kms_master_key_id) out.sqs_kms_key_arn = queue.kms_master_key_id;
  else if (queue?.sqs_managed_sse_enabled === false) {
    all.warn(
      path('queue_encryption'),
      'not carried over: Hangar always encrypts its queues (SSE-SQS unless sqs_kms_key_arn)',
    );
  }
  const s3 = input.runner_binaries_s3_sse_configuration;
  const byDefault =
    isRecord(s3) && isRecord(s3.rule) ? s3.rule.apply_server_side_encryption_by_default : undefined;
  if (isRecord(byDefault) && typeof byDefault.kms_master_key_id === 'string')
    out.s3_kms_key_arn = byDefault.kms_master_key_id;
  const kms = read<string>(all, input, 'kms_key_arn', tfString, '');
  if (kms) out.ssm_kms_key_arn = kms;
  const logs = read<string>(all, input, 'logging_kms_key_id', tfString, '');
  if (logs && logs.startsWith('arn:')) out.logs_kms_key_arn = logs;
  else if (logs)
    all.warn(
      path('logging_kms_key_id'),
      `not carried over: logs_kms_key_arn needs the key ARN, got "${logs}"`,
    );
}

function github(input: Input, all: Messages, out: Record<string, Json>): void {
  const url = read<string>(all, input, 'ghes_url', tfString, '');
  if (url) {
    const host = url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    out.github_api_url = host.endsWith('.ghe.com') ? `https://api.${host}` : `https://${host}/api/v3`;
  }
  if (read<boolean>(all, input, 'ghes_ssl_verify', tfBool, '') === false) out.github_tls_verify = false;
  const allow = read<string[]>(all, input, 'repository_white_list', strings, '');
  if (allow && allow.length > 0) out.repository_allow_list = allow;
}

/** Converts the deployment inputs (`multi`: of the multi-runner module, else of the root module). */
export function convertDeployment(
  input: Input,
  all: Messages,
  shared: Shared,
  multi: boolean,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  const path = (key: string) => childPath('', key);
  const prefix =
    read<string>(all, input, 'prefix', tfString, '') ?? read<string>(all, input, 'environment', tfString, '');
  if (prefix !== undefined) {
    out.prefix = hangarPrefix(prefix);
    all.note(
      path('prefix'),
      `written as "${out.prefix}": both modules name their functions <prefix>-webhook, … so they need different prefixes to run side by side`,
    );
  }
  const tags = read<Record<string, string>>(all, input, 'tags', map(tfString), '');
  if (tags && Object.keys(tags).length > 0) out.tags = tags;
  for (const [key, type] of Object.entries(SAME_NAME)) {
    const value = read<Json>(all, input, key, type, '');
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  }
  if (out.lambda_s3_bucket) {
    all.note(
      path('lambda_s3_bucket'),
      "upload Hangar's bundles there (lambda_s3_keys, default lambda/<handler>.zip)",
    );
  }
  const subnets = read<string[]>(all, input, 'subnet_ids', strings, '');
  if (subnets) out.subnet_ids = subnets;
  github(input, all, out);
  githubApps(input, all, out, path);
  encryption(input, all, out, path);
  const retention = read<number>(all, input, 'logging_retention_in_days', tfNumber, '');
  if (retention !== undefined && LOG_RETENTION.includes(retention)) out.log_retention_days = retention;
  else if (retention !== undefined)
    all.warn(
      path('logging_retention_in_days'),
      `not carried over: ${retention} is not a retention log_retention_days takes (${LOG_RETENTION.join(', ')})`,
    );
  const level = read<string>(all, input, 'log_level', tfString, '');
  if (level !== undefined && LOG_LEVELS[level] && LOG_LEVELS[level] !== 'INFO')
    out.log_level = LOG_LEVELS[level]!;
  const arch = read<string>(all, input, 'lambda_architecture', tfString, '');
  if (arch === 'x86_64') out.lambda_architecture = arch;
  const timeouts = Object.entries(TIMEOUTS).flatMap(([key, handler]) => {
    const seconds = read<number>(all, input, key, tfNumber, '');
    return seconds === undefined ? [] : [[handler, seconds] as const];
  });
  if (timeouts.length > 0) out.lambda_timeouts = Object.fromEntries(timeouts);
  lambdaSettings(input, all, out);
  const boundary = read<string>(all, input, 'role_permissions_boundary', tfString, '');
  if (boundary) out.permissions_boundary_arn = boundary;
  for (const key of ['role_path', 'instance_profile_path']) {
    const value = read<string>(all, input, key, tfString, '');
    if (value) out[key] = `/${value.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  }
  if (read<boolean>(all, input, 'runner_allow_prerelease_binaries', tfBool, '') === true)
    out.binaries_prerelease = true;
  egress(input, all, out, path);
  // In the root module this is a runner setting, already collected with the runner's.
  const groups = multi
    ? read<string[]>(all, input, 'runner_additional_security_group_ids', strings, '')
    : undefined;
  if (groups) shared.moduleSecurityGroups.push(...groups);
  return out;
}
