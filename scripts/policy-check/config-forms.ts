// The configuration forms policy-check reads, so the file you deploy is the file you check:
//   runtime         { "pools": [ pool documents ], "settings", "options", "simulation" }
//   runner-configs  { "<pool id>": { "labels": [...], "owner": "...", ... } }
//                   — Terraform's runner_configs map, as in infra/examples/*/pools.json
//   tfvars          { "runner_configs": {...}, "repository_allow_list": [...], ... }
//                   — multi-runner's inputs as a .tfvars.json (or hangar's "runner_config" +
//                   "pool_id"), optionally with a "simulation" section
// The Terraform forms are rendered into the runtime form the way infra/modules/pools-document
// does (runner-configs.ts, pools-document.ts); problems are then named in the form you wrote.
import { renderPools } from './pools-document';
import { DEFAULT_STAND_INS, readRunnerConfigs, standInCompute, type StandIns } from './runner-configs';
import { childPath } from './terraform-types';

export type ConfigForm = 'runtime' | 'runner-configs' | 'tfvars';
/** What `--form` may force; `terraform` reads either Terraform form. */
export type RequestedForm = 'auto' | 'runtime' | 'terraform';

export interface FormReading {
  readonly form: ConfigForm;
  /** The configuration in the runtime form, for readConfig's checks. */
  readonly document: unknown;
  /** Problems found while reading the Terraform form (types, unknown keys, module validations). */
  readonly problems: readonly string[];
  /** Rewrites a runtime-form problem (`pools[2].maxRunners: …`) in the words of the form read. */
  readonly translate: (problem: string) => string;
}

const RUNTIME_SECTIONS = ['pools', 'settings', 'options', 'simulation'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Which form a parsed file is in (see the header); anything unclear is read as the runtime form. */
export function detectForm(document: unknown, requested: RequestedForm = 'auto'): ConfigForm {
  if (requested === 'runtime' || !isRecord(document)) return 'runtime';
  if ('runner_configs' in document || 'runner_config' in document) return 'tfvars';
  if (requested === 'terraform') return 'runner-configs';
  if (Array.isArray(document.pools)) return 'runtime';
  const keys = Object.keys(document);
  return keys.length > 0 && keys.every((key) => !RUNTIME_SECTIONS.includes(key))
    ? 'runner-configs'
    : 'runtime';
}

/** Module inputs that policy-check uses, by the runtime-form setting they become. */
const SETTINGS_INPUTS = {
  repository_allow_list: 'repositoryAllowList',
  job_retry_after_minutes: 'jobRetryAfterMinutes',
  max_runner_requests_per_job: 'maxRunnerRequestsPerJob',
  job_queue_limit_minutes: 'jobQueueLimitMinutes',
} as const;
const OPTIONS_INPUTS = {
  scale_up_delay_seconds: 'scaleUpDelaySeconds',
  orphan_grace_minutes: 'orphanGraceMinutes',
} as const;

function pick(
  inputs: Record<string, unknown>,
  names: Record<string, string>,
): Record<string, unknown> | undefined {
  const picked = Object.entries(names)
    .filter(([input]) => inputs[input] !== undefined && inputs[input] !== null)
    .map(([input, setting]) => [setting, inputs[input]]);
  return picked.length === 0 ? undefined : Object.fromEntries(picked);
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

/** Reads `document` in the given (or detected) form into the runtime form. */
export function readForm(document: unknown, requested: RequestedForm = 'auto'): FormReading {
  const form = detectForm(document, requested);
  if (form === 'runtime') return { form, document, problems: [], translate: (problem) => problem };
  const inputs = form === 'tfvars' && isRecord(document) ? document : {};
  let configsValue: unknown = document;
  let path = 'runner_configs';
  if (form === 'tfvars') {
    const single = inputs.runner_config !== undefined;
    const poolId = typeof inputs.pool_id === 'string' ? inputs.pool_id : 'default';
    configsValue = single ? { [poolId]: inputs.runner_config } : inputs.runner_configs;
    path = single ? 'runner_config' : 'runner_configs';
  }
  const standIns: StandIns = {
    prefix: typeof inputs.prefix === 'string' ? inputs.prefix : DEFAULT_STAND_INS.prefix,
    subnetIds: strings(inputs.subnet_ids) ?? DEFAULT_STAND_INS.subnetIds,
    securityGroupIds: strings(inputs.runner_security_group_ids) ?? DEFAULT_STAND_INS.securityGroupIds,
  };
  const { configs, problems } = readRunnerConfigs(configsValue, path);
  const ids = Object.keys(configs).sort();
  const pools = problems.length === 0 ? renderPools(configs, standInCompute(configs, standIns)) : [];
  const runtime: Record<string, unknown> = { pools };
  const settings = pick(inputs, SETTINGS_INPUTS);
  const options = pick(inputs, OPTIONS_INPUTS);
  if (settings) runtime.settings = settings;
  if (options) runtime.options = options;
  if (inputs.simulation !== undefined) runtime.simulation = inputs.simulation;
  const poolPath = (index: number) =>
    path === 'runner_config' ? path : childPath(path, ids[index] ?? String(index));
  return { form, document: runtime, problems, translate: translator(poolPath) };
}

/** Runtime pool fields → the runner_configs attribute they are rendered from. */
const POOL_FIELDS: Readonly<Record<string, string>> = {
  'matching.mode': 'matching_mode',
  'matching.priority': 'priority',
  'capacity.type': 'capacity_type',
  'capacity.onDemandFailoverFor': 'on_demand_failover_for',
  'compute.imageIdSsmParameter': 'ami_ssm_parameter',
  'compute.assignPublicIp': 'fargate.assign_public_ip',
  'compute.capacityProvider': 'fargate.capacity_provider',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function poolField(field: string): string {
  for (const [runtime, terraform] of Object.entries(POOL_FIELDS)) {
    if (field === runtime || field.startsWith(`${runtime}.`) || field.startsWith(`${runtime}[`))
      return terraform + field.slice(runtime.length);
  }
  return snake(field.replace(/^compute\./, ''));
}

function translator(poolPath: (index: number) => string): (problem: string) => string {
  const settingNames = Object.fromEntries(
    [...Object.entries(SETTINGS_INPUTS), ...Object.entries(OPTIONS_INPUTS)].map(([input, setting]) => [
      setting,
      input,
    ]),
  );
  return (problem) => {
    const pool = /^pools\[(\d+)\](?: \([^)]*\))?(?:\.([^:]+))?: /.exec(problem);
    if (pool) {
      const field = pool[2] === undefined ? '' : `.${poolField(pool[2])}`;
      return `${poolPath(Number(pool[1]))}${field}: ${problem.slice(pool[0].length)}`;
    }
    const setting = /^(?:settings|options)\.(\w+): /.exec(problem);
    if (setting && settingNames[setting[1]!]) {
      return `${settingNames[setting[1]!]}: ${problem.slice(setting[0].length)}`;
    }
    return problem.replace(/^pools: /, 'runner_configs: ');
  };
}
