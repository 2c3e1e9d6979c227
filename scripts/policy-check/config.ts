// Reads a policy-check configuration: the pools document Hangar deploys (validated with the
// runtime's own schema, so a config that passes here is one the Lambdas accept) plus the
// cross-pool settings, scaler options and the simulated environment. The pools may also be
// given in Terraform's form (config-forms.ts), rendered the way the module renders them.
import {
  DEFAULT_SCALER_OPTIONS,
  PoolId,
  type PoolConfig,
  type ScalerOptions,
  type ScalerSettings,
} from '../../packages/core/src/index';
import {
  poolScope,
  poolsSchema,
  type PoolDocument,
} from '../../packages/runtime-lambda/src/config/pools-schema';
import { readForm, type ConfigForm, type RequestedForm } from './config-forms';

/** How the world around the scaler behaves in the simulation, and how often schedules run. */
export interface SimulationSettings {
  /** Minutes from a machine's launch until its runner is online at GitHub. */
  readonly runnerBootMinutes: number;
  readonly scaleDownEveryMinutes: number;
  readonly topUpEveryMinutes: number;
  readonly reconcileEveryMinutes: number;
  /** Minutes simulated after the last arrival for queued and running jobs to finish. */
  readonly drainMinutes: number;
}

export interface PolicyCheckConfig {
  readonly settings: ScalerSettings;
  readonly options: ScalerOptions;
  readonly simulation: SimulationSettings;
}

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: PolicyCheckConfig;
      readonly form: ConfigForm;
      /** The configuration in the runtime form (Terraform forms rendered), e.g. for instance types. */
      readonly document: unknown;
    }
  | { readonly ok: false; readonly problems: readonly string[]; readonly form: ConfigForm };

const DEFAULT_SIMULATION: SimulationSettings = {
  runnerBootMinutes: 1,
  scaleDownEveryMinutes: 5,
  topUpEveryMinutes: 1,
  reconcileEveryMinutes: 5,
  drainMinutes: 240,
};

const DEFAULT_SETTINGS = {
  repositoryAllowList: [] as string[],
  jobRetryAfterMinutes: 10,
  maxRunnerRequestsPerJob: 3,
  jobQueueLimitMinutes: 24 * 60,
};

type Problems = string[];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads whole-number fields of `section`, defaulting the absent ones and reporting bad ones. */
function numbers<T extends Record<string, number>>(
  section: unknown,
  name: string,
  defaults: T,
  min: Readonly<Partial<Record<keyof T, number>>>,
  problems: Problems,
): T {
  if (section === undefined) return defaults;
  if (!isRecord(section)) {
    problems.push(`${name}: must be an object`);
    return defaults;
  }
  const result: Record<string, number> = { ...defaults };
  for (const key of Object.keys(section)) {
    if (!(key in defaults) && !(name === 'settings' && key === 'repositoryAllowList')) {
      problems.push(`${name}.${key}: unknown setting (known: ${Object.keys(defaults).join(', ')})`);
    }
  }
  for (const key of Object.keys(defaults)) {
    const value = section[key];
    if (value === undefined) continue;
    const lowest = min[key] ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < lowest) {
      problems.push(`${name}.${key}: must be a whole number ≥ ${lowest}, got ${JSON.stringify(value)}`);
      continue;
    }
    result[key] = value;
  }
  return result as T;
}

function allowList(section: unknown, problems: Problems): string[] {
  if (!isRecord(section) || section.repositoryAllowList === undefined) return [];
  const list = section.repositoryAllowList;
  if (
    !Array.isArray(list) ||
    list.some((entry) => typeof entry !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(entry))
  ) {
    problems.push('settings.repositoryAllowList: must be a list of "owner/repo" names');
    return [];
  }
  return list as string[];
}

/** The pool as core's policies see it (the compute details stay with the compute adapter). */
export function toPoolConfig(document: PoolDocument): PoolConfig {
  return {
    id: PoolId(document.id),
    labels: document.labels,
    matching: document.matching,
    ...poolScope(document),
    ...(document.runnerGroup === undefined ? {} : { runnerGroup: document.runnerGroup }),
    namePrefix: document.namePrefix,
    ephemeral: document.ephemeral,
    maxRunners: document.maxRunners,
    minimumRunningTimeMinutes: document.minimumRunningTimeMinutes,
    bootTimeMinutes: document.bootTimeMinutes,
    jobQueuedCheck: document.jobQueuedCheck,
    idleWindows: document.idleWindows,
    poolSchedules: document.poolSchedules,
    compute: document.compute.kind,
    capacity: document.capacity,
    maxLaunchAttempts: document.maxLaunchAttempts,
  };
}

/**
 * Validates a parsed configuration file in any form config-forms.ts reads (detected unless
 * `form` says which); every problem is reported at once, named in the form that was written.
 */
export function readConfig(raw: unknown, form: RequestedForm = 'auto'): ConfigResult {
  const reading = readForm(raw, form);
  if (reading.problems.length > 0) return { ok: false, problems: reading.problems, form: reading.form };
  const result = readRuntimeConfig(reading.document);
  return result.ok
    ? { ...result, form: reading.form, document: reading.document }
    : { ok: false, problems: result.problems.map(reading.translate), form: reading.form };
}

function readRuntimeConfig(
  document: unknown,
): { ok: true; config: PolicyCheckConfig } | { ok: false; problems: readonly string[] } {
  if (!isRecord(document)) return { ok: false, problems: ['config: must be a JSON object with "pools"'] };
  const problems: Problems = [];
  for (const key of Object.keys(document)) {
    if (!['pools', 'settings', 'options', 'simulation'].includes(key))
      problems.push(`config.${key}: unknown section (known: pools, settings, options, simulation)`);
  }
  const parsed = poolsSchema.safeParse(document.pools);
  const pools: PoolDocument[] = [];
  if (parsed.success) pools.push(...parsed.data);
  else {
    for (const issue of parsed.error.issues) {
      const path = issue.path
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
        .join('');
      problems.push(`pools${path}: ${issue.message}`);
    }
  }
  const numeric = numbers(
    document.settings,
    'settings',
    {
      jobRetryAfterMinutes: DEFAULT_SETTINGS.jobRetryAfterMinutes,
      maxRunnerRequestsPerJob: DEFAULT_SETTINGS.maxRunnerRequestsPerJob,
      jobQueueLimitMinutes: DEFAULT_SETTINGS.jobQueueLimitMinutes,
    },
    { jobRetryAfterMinutes: 1, maxRunnerRequestsPerJob: 1, jobQueueLimitMinutes: 1 },
    problems,
  );
  const repositoryAllowList = allowList(document.settings, problems);
  const options = numbers(
    document.options,
    'options',
    {
      scaleUpDelaySeconds: DEFAULT_SCALER_OPTIONS.scaleUpDelaySeconds,
      maxRunnersRetrySeconds: DEFAULT_SCALER_OPTIONS.maxRunnersRetrySeconds,
      orphanGraceMinutes: DEFAULT_SCALER_OPTIONS.orphanGraceMinutes,
    },
    {},
    problems,
  );
  for (const key of ['scaleUpDelaySeconds', 'maxRunnersRetrySeconds'] as const) {
    if (options[key] > 900)
      problems.push(`options.${key}: at most 900 (the SQS delay limit), got ${options[key]}`);
  }
  const simulation = numbers(
    document.simulation,
    'simulation',
    { ...DEFAULT_SIMULATION },
    {
      scaleDownEveryMinutes: 1,
      topUpEveryMinutes: 1,
      reconcileEveryMinutes: 1,
    },
    problems,
  );
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      settings: { pools: pools.map(toPoolConfig), repositoryAllowList, ...numeric },
      options: { ...DEFAULT_SCALER_OPTIONS, ...options },
      simulation,
    },
  };
}
