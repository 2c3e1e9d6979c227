import type { Ec2PoolSettings, FargatePoolSettings } from '@hangar/adapter-aws';
import {
  ConfigurationError,
  DEFAULT_SCALER_OPTIONS,
  PoolId,
  type PoolConfig,
  type ScalerOptions,
  type ScalerSettings,
} from '@hangar/core';
import type { HandlerName } from './environment';
import { parseEnvironment, type RuntimeEnvironment } from './parse-environment';
import { poolScope, poolsSchema, type PoolDocument } from './pools-schema';
import {
  issuesOf,
  readAppParameters,
  readAppsParameter,
  type GitHubApp,
  type ParameterSource,
} from './github-apps';
import { parseWebhookSecrets } from './webhook-secrets';

export { appKeyPem, type GitHubApp, type GitHubAppParameters, type ParameterSource } from './github-apps';

export { parseEnvironment, requireSetting, type RuntimeEnvironment } from './parse-environment';

/** Everything a handler is configured with, read once per container (cold start). */
export interface RuntimeConfiguration {
  readonly environment: RuntimeEnvironment;
  readonly settings: ScalerSettings;
  readonly options: ScalerOptions;
  /** Per-pool launch settings of the compute adapters, keyed by pool id. */
  readonly ec2Pools: ReadonlyMap<PoolId, Ec2PoolSettings>;
  readonly fargatePools: ReadonlyMap<PoolId, FargatePoolSettings>;
  /** Empty when the handler has no GitHub App parameter. */
  readonly githubApps: readonly GitHubApp[];
  /** Empty unless the handler is the webhook. Several during a secret rotation. */
  readonly webhookSecrets: readonly string[];
  /** How long an ended job or runner stream is kept (DynamoDB TTL). */
  readonly retentionMs: number;
}

/**
 * The runner-name prefix of a pool that sets none: the deployment's name. Runner ids are
 * derived from job ids (`j<job>-<attempt>`), so two deployments serving one organisation with
 * the same empty prefix registered the same names: a `name-taken` answer made one adopt (or
 * delete) the other's registration, and each one's orphan sweep (every offline `hgr-` name it
 * does not know) deleted the other's booting runners. A prefix the pool sets is kept as is, so
 * names do not change where one was chosen. Handlers without a deployment name (the webhook,
 * the binaries syncer) never name runners.
 */
export function defaultNamePrefix(deployment: string | undefined): string {
  return deployment === undefined || deployment === '' ? '' : `${deployment}-`;
}

function toPoolConfig(pool: PoolDocument, deployment: string | undefined): PoolConfig {
  return {
    id: PoolId(pool.id),
    labels: pool.labels,
    matching: pool.matching,
    ...poolScope(pool),
    ...(pool.runnerGroup === undefined ? {} : { runnerGroup: pool.runnerGroup }),
    namePrefix: pool.namePrefix === '' ? defaultNamePrefix(deployment) : pool.namePrefix,
    ephemeral: pool.ephemeral,
    maxRunners: pool.maxRunners,
    minimumRunningTimeMinutes: pool.minimumRunningTimeMinutes,
    bootTimeMinutes: pool.bootTimeMinutes,
    jobQueuedCheck: pool.jobQueuedCheck,
    idleWindows: pool.idleWindows,
    poolSchedules: pool.poolSchedules,
    compute: pool.compute.kind,
    capacity: pool.capacity,
    maxLaunchAttempts: pool.maxLaunchAttempts,
    jitConfig: pool.jitConfig,
    ...(pool.defaultLabels === undefined ? {} : { defaultLabels: pool.defaultLabels }),
  };
}

function computeSettings(pools: readonly PoolDocument[]) {
  const ec2 = new Map<PoolId, Ec2PoolSettings>();
  const fargate = new Map<PoolId, FargatePoolSettings>();
  for (const pool of pools) {
    const { compute } = pool;
    if (compute.kind === 'ec2') {
      const { kind: _kind, ...settings } = compute;
      ec2.set(PoolId(pool.id), settings);
    } else {
      const { kind: _kind, ...settings } = compute;
      fargate.set(PoolId(pool.id), settings);
    }
  }
  return { ec2, fargate };
}

/** Where reusable runners register: github.com for the public API, the GHES host otherwise. */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.protocol}//${url.host}`;
}

/** Collects ConfigurationErrors from several reads so all problems are reported together. */
async function gather<T>(problems: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      problems.push(...error.problems);
      return undefined;
    }
    throw error;
  }
}

/**
 * Reads the parameters the handler's environment names — pools, GitHub Apps (the module's
 * JSON parameter, or each App's id and key parameters the operator created), webhook
 * secret(s) — concurrently, validates them and builds the core settings. Every problem in
 * every parameter is reported in one ConfigurationError; an unreachable SSM is the reader's
 * DependencyError (retryable), thrown as is.
 */
export async function loadConfiguration(
  environment: RuntimeEnvironment,
  parameters: ParameterSource,
): Promise<RuntimeConfiguration> {
  const problems: string[] = [];
  const { poolsParameter, githubAppsParameter, githubAppParameters, webhookSecretParameter } = environment;
  const [pools, apps, secrets] = await Promise.all([
    poolsParameter === undefined
      ? []
      : gather(problems, async () => {
          const parsed = poolsSchema.safeParse(await parameters.readJson(poolsParameter));
          if (!parsed.success) throw new ConfigurationError(issuesOf(poolsParameter, 'pools', parsed.error));
          return parsed.data;
        }),
    githubAppParameters !== undefined
      ? gather(problems, () => readAppParameters(githubAppParameters, parameters))
      : githubAppsParameter === undefined
        ? []
        : gather(problems, () => readAppsParameter(githubAppsParameter, parameters)),
    webhookSecretParameter === undefined
      ? []
      : gather(problems, async () => {
          const value = await parameters.readParameter(webhookSecretParameter);
          return parseWebhookSecrets(value, webhookSecretParameter);
        }),
  ]);
  if (problems.length > 0 || pools === undefined || apps === undefined || secrets === undefined)
    throw new ConfigurationError(problems);
  return buildConfiguration(environment, pools, apps, secrets);
}

function buildConfiguration(
  environment: RuntimeEnvironment,
  pools: readonly PoolDocument[],
  githubApps: readonly GitHubApp[],
  webhookSecrets: readonly string[],
): RuntimeConfiguration {
  const { ec2, fargate } = computeSettings(pools);
  return {
    environment,
    settings: {
      pools: pools.map((pool) => toPoolConfig(pool, environment.deployment)),
      repositoryAllowList: environment.repositoryAllowList,
      jobRetryAfterMinutes: environment.jobRetryAfterMinutes,
      maxRunnerRequestsPerJob: environment.maxRunnerRequestsPerJob,
      jobQueueLimitMinutes: environment.jobQueueLimitMinutes,
    },
    options: {
      ...DEFAULT_SCALER_OPTIONS,
      scaleUpDelaySeconds: environment.scaleUpDelaySeconds,
      orphanGraceMinutes: environment.orphanGraceMinutes,
      recoveryMaxGitHubCalls: environment.recoveryMaxGitHubCalls,
      githubWebUrl: githubWebUrl(environment.githubApiUrl),
    },
    ec2Pools: ec2,
    fargatePools: fargate,
    githubApps,
    webhookSecrets,
    retentionMs: environment.eventRetentionDays * 24 * 60 * 60 * 1000,
  };
}

/** Environment then parameters, for one handler. */
export async function configure(
  env: Readonly<Record<string, string | undefined>>,
  handler: HandlerName,
  parameters: ParameterSource,
): Promise<RuntimeConfiguration> {
  return loadConfiguration(parseEnvironment(env, handler), parameters);
}

/** The Lambda process environment: the one place runtime-lambda reads `process.env`. */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
