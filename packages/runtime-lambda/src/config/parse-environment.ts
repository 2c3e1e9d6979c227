import { ConfigurationError, type RunnerPlatform } from '@hangar/core';
import {
  ENVIRONMENT,
  requiredVariablesFor,
  variablesFor,
  type HandlerName,
  type VariableDescriptor,
  type VariableName,
} from './environment';
import type { GitHubAppParameters } from './github-apps';
import { settingConflicts } from './setting-conflicts';

/**
 * The environment of one handler, typed. Variables a handler does not read are absent
 * (undefined) even when set; variables it requires are guaranteed present by
 * `parseEnvironment`.
 */
export interface RuntimeEnvironment {
  readonly handler: HandlerName;
  readonly tableName?: string;
  readonly deployment?: string;
  readonly poolsParameter?: string;
  readonly scaleUpQueueUrl?: string;
  readonly jobEventsQueueUrl?: string;
  readonly scaleUpDelaySeconds: number;
  readonly webhookSecretParameter?: string;
  readonly githubAppsParameter?: string;
  readonly githubAppParameters?: readonly GitHubAppParameters[];
  readonly githubApiUrl: string;
  readonly githubTlsVerify: boolean;
  readonly runnerSecretPath: string;
  readonly runnerRoleId?: string;
  readonly runnerTaskRoleId?: string;
  readonly ssmKmsKeyId?: string;
  readonly repositoryAllowList: readonly string[];
  readonly jobRetryAfterMinutes: number;
  readonly maxRunnerRequestsPerJob: number;
  readonly jobQueueLimitMinutes: number;
  readonly eventRetentionDays: number;
  readonly recoveryMaxGitHubCalls: number;
  readonly orphanGraceMinutes: number;
  readonly binariesBucket?: string;
  readonly binariesPrerelease: boolean;
  /** Absent: every build the release publishes. */
  readonly binariesPlatforms?: readonly RunnerPlatform[];
  readonly serviceName: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly metricsNamespace: string;
  readonly tracingEnabled: boolean;
}

type Parsed = string | number | boolean | readonly string[] | readonly GitHubAppParameters[];
/** A parser returns the value, or undefined when the text is not what `expected` describes. */
type Parser = (text: string) => Parsed | undefined;

const text: Parser = (value) => (value.trim() === '' ? undefined : value.trim());
const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Parser =>
  (value) => {
    if (!/^\s*-?\d+\s*$/.test(value)) return undefined;
    const n = Number(value);
    return n >= min && n <= max ? n : undefined;
  };
const boolean: Parser = (value) => {
  const v = value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
};
const url: Parser = (value) => {
  try {
    const parsed = new URL(value.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? value.trim().replace(/\/+$/, '')
      : undefined;
  } catch {
    return undefined;
  }
};
const ssmPath: Parser = (value) =>
  /^\/\S*$/.test(value.trim()) ? value.trim().replace(/\/+$/, '') : undefined;
/** IAM unique ids of roles: AROA and upper-case letters and digits. */
const roleId: Parser = (value) => (/^AROA[0-9A-Z]{4,124}$/.test(value.trim()) ? value.trim() : undefined);
const repositories: Parser = (value) => {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.every((name) => /^[\w.-]+\/[\w.-]+$/.test(name)) ? names : undefined;
};
const platforms: Parser = (value) => {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const valid = names.length > 0 && names.every((name) => /^(linux|win|osx)-(x64|arm64)$/.test(name));
  return valid ? [...new Set(names)] : undefined;
};
/** An SSM parameter name (`name` or `/a/b`) or a parameter ARN (parameters shared from another account). */
const PARAMETER_REFERENCE =
  /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[\w.\-/]+|\/?[\w.-]+(?:\/[\w.-]+)*)$/;
const appParameters: Parser = (value) => {
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    return undefined;
  }
  const isReference = (ref: unknown) => typeof ref === 'string' && PARAMETER_REFERENCE.test(ref);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const apps = list.map((entry: unknown) => {
    const { appId, privateKey } = (entry ?? {}) as Record<string, unknown>;
    return isReference(appId) && isReference(privateKey)
      ? { appId: appId as string, privateKey: privateKey as string }
      : undefined;
  });
  return apps.every((app) => app !== undefined) ? apps : undefined;
};
const logLevel: Parser = (value) => {
  const v = value.trim().toUpperCase();
  return ['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(v) ? v : undefined;
};

/** How each variable is read, and where it goes in RuntimeEnvironment. */
const READERS: Readonly<Record<VariableName, readonly [keyof RuntimeEnvironment, Parser]>> = {
  HANGAR_TABLE_NAME: ['tableName', text],
  HANGAR_DEPLOYMENT: ['deployment', text],
  HANGAR_POOLS_PARAMETER: ['poolsParameter', text],
  HANGAR_SCALE_UP_QUEUE_URL: ['scaleUpQueueUrl', url],
  HANGAR_JOB_EVENTS_QUEUE_URL: ['jobEventsQueueUrl', url],
  HANGAR_SCALE_UP_DELAY_SECONDS: ['scaleUpDelaySeconds', integer(0, 900)],
  HANGAR_WEBHOOK_SECRET_PARAMETER: ['webhookSecretParameter', text],
  HANGAR_GITHUB_APPS_PARAMETER: ['githubAppsParameter', text],
  HANGAR_GITHUB_APP_PARAMETERS: ['githubAppParameters', appParameters],
  HANGAR_GITHUB_API_URL: ['githubApiUrl', url],
  HANGAR_GITHUB_TLS_VERIFY: ['githubTlsVerify', boolean],
  HANGAR_RUNNER_SECRET_PATH: ['runnerSecretPath', ssmPath],
  HANGAR_RUNNER_ROLE_ID: ['runnerRoleId', roleId],
  HANGAR_RUNNER_TASK_ROLE_ID: ['runnerTaskRoleId', roleId],
  HANGAR_SSM_KMS_KEY_ID: ['ssmKmsKeyId', text],
  HANGAR_REPOSITORY_ALLOW_LIST: ['repositoryAllowList', repositories],
  HANGAR_JOB_RETRY_AFTER_MINUTES: ['jobRetryAfterMinutes', integer(1)],
  HANGAR_MAX_RUNNER_REQUESTS_PER_JOB: ['maxRunnerRequestsPerJob', integer(1)],
  HANGAR_JOB_QUEUE_LIMIT_MINUTES: ['jobQueueLimitMinutes', integer(1)],
  HANGAR_EVENT_RETENTION_DAYS: ['eventRetentionDays', integer(1)],
  HANGAR_RECOVERY_MAX_GITHUB_CALLS: ['recoveryMaxGitHubCalls', integer(0)],
  HANGAR_ORPHAN_GRACE_MINUTES: ['orphanGraceMinutes', integer(1)],
  HANGAR_BINARIES_BUCKET: ['binariesBucket', text],
  HANGAR_BINARIES_PRERELEASE: ['binariesPrerelease', boolean],
  HANGAR_BINARIES_PLATFORMS: ['binariesPlatforms', platforms],
  POWERTOOLS_SERVICE_NAME: ['serviceName', text],
  POWERTOOLS_LOG_LEVEL: ['logLevel', logLevel],
  POWERTOOLS_METRICS_NAMESPACE: ['metricsNamespace', text],
  POWERTOOLS_TRACE_ENABLED: ['tracingEnabled', boolean],
};

/**
 * Reads the variables `handler` uses (ENVIRONMENT is the source of truth) into a typed object.
 * Every problem — a required variable missing, any value not what it should be — is collected
 * and thrown at once as a ConfigurationError naming the variable and what was expected, so an
 * operator fixes the function in one round trip. Values are never quoted (some are secret names
 * an operator may still not want in logs, and a wrong value can be long).
 */
export function parseEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  handler: HandlerName,
): RuntimeEnvironment {
  const problems: string[] = [];
  const out: Record<string, Parsed> = {};
  const required = new Set(requiredVariablesFor(handler));
  // Unset optional variables take ENVIRONMENT's default for every handler, so the typed object is total.
  for (const name of Object.keys(ENVIRONMENT) as VariableName[]) {
    const descriptor: VariableDescriptor = ENVIRONMENT[name];
    const [key, parse] = READERS[name];
    if (descriptor.default !== undefined) out[key] = parse(descriptor.default) ?? descriptor.default;
  }
  for (const name of variablesFor(handler)) {
    const descriptor: VariableDescriptor = ENVIRONMENT[name];
    const [key, parse] = READERS[name];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      if (required.has(name)) problems.push(`${name} is required: ${descriptor.expected}`);
      continue;
    }
    const value = parse(raw);
    if (value === undefined) problems.push(`${name} must be ${descriptor.expected}`);
    else out[key] = value;
  }
  if (problems.length === 0) problems.push(...settingConflicts(out, handler));
  if (problems.length > 0) throw new ConfigurationError(problems.map((p) => `${handler}: ${p}`));
  return { handler, ...out } as unknown as RuntimeEnvironment;
}

/** A variable the handler requires; `parseEnvironment` has already checked it is present. */
export function requireSetting<K extends keyof RuntimeEnvironment>(
  environment: RuntimeEnvironment,
  key: K,
): NonNullable<RuntimeEnvironment[K]> {
  const value = environment[key];
  if (value === undefined || value === null) {
    const name = (Object.keys(READERS) as VariableName[]).find((n) => READERS[n][0] === key) ?? String(key);
    throw new ConfigurationError([`${environment.handler}: ${name} is required for this function`]);
  }
  return value as NonNullable<RuntimeEnvironment[K]>;
}
