// One reference runner configuration → one Hangar pool (or one per repository for repo-level
// runners), plus the per-runner settings Hangar has once per deployment (collected in Shared).
import { RUNNER_CONFIGS_TYPE } from '../policy-check/runner-configs';
import {
  childPath,
  tfBool,
  tfNumber,
  tfString,
  type Json,
  type TfAttribute,
} from '../policy-check/terraform-types';
import { COMPUTE_KEYS, ec2Settings } from './compute';
import { MACHINE_KEYS, machineSettings } from './machine';
import type { RunnerInput } from './input';
import { routing } from './labels';
import { read, type Input, type Messages } from './messages';
import { idleWindows, poolSchedules } from './schedules';
import { collectShared, SHARED_KEYS, type Shared } from './shared';

type JsonObject = { [key: string]: Json };

export interface ConvertOptions {
  /** The GitHub organization (or user) the runners serve (`--owner`). */
  readonly owner?: string;
  /** Labels added to every pool (`--add-label`), e.g. to keep jobs apart while both run. */
  readonly addLabels: readonly string[];
}

export interface Pool {
  /** The pool id wanted (the caller makes ids unique). */
  readonly id: string;
  readonly path: string;
  readonly config: JsonObject;
}

export const OWNER_PLACEHOLDER = 'REPLACE-WITH-OWNER';
export const REPO_PLACEHOLDER = 'REPLACE-WITH-REPO';

/** Every runner key this file and its helpers read; the others are reported by their fate. */
export const RUNNER_HANDLED = new Set([
  'runner_os',
  'runner_architecture',
  'runner_extra_labels',
  'runner_group_name',
  'runner_name_prefix',
  'runners_maximum_count',
  'enable_ephemeral_runners',
  'enable_jit_config',
  'enable_job_queued_check',
  'enable_organization_runners',
  'pool_runner_owner',
  'minimum_running_time_in_minutes',
  'runner_boot_time_in_minutes',
  'idle_config',
  'pool_config',
  ...COMPUTE_KEYS,
  ...MACHINE_KEYS,
  ...SHARED_KEYS,
]);

const ATTRIBUTE_ORDER = (
  RUNNER_CONFIGS_TYPE as { element: { attributes: readonly TfAttribute[] } }
).element.attributes.map((attribute) => attribute.name);

const inHangarOrder = (config: JsonObject): JsonObject =>
  Object.fromEntries(ATTRIBUTE_ORDER.filter((name) => name in config).map((name) => [name, config[name]!]));

function platform(runner: RunnerInput, all: Messages): { os: string; architecture: string } | undefined {
  const text = (key: string) => read<string>(all, runner.config, key, tfString, runner.configPath);
  let os = text('runner_os') ?? 'linux';
  const architecture = text('runner_architecture') ?? 'x64';
  const where = childPath(runner.configPath, 'runner_os');
  if (os === 'osx') {
    all.warn(
      where,
      'not carried over: macOS runners (dedicated hosts) are not supported; this configuration is left out',
    );
    return undefined;
  }
  // Before v3 the reference called Windows "win".
  if (os === 'win') os = 'windows';
  if (!['linux', 'windows'].includes(os)) all.error(where, `must be linux, windows or osx, got "${os}"`);
  if (!['x64', 'arm64'].includes(architecture))
    all.error(
      childPath(runner.configPath, 'runner_architecture'),
      `must be x64 or arm64, got "${architecture}"`,
    );
  return { os, architecture };
}

function lifecycle(runner: RunnerInput, all: Messages, out: JsonObject, os: string, multi: boolean): void {
  const { config, configPath } = runner;
  const bool = (key: string) => read<boolean>(all, config, key, tfBool, configPath);
  const number = (key: string) => read<number>(all, config, key, tfNumber, configPath);
  const ephemeral = bool('enable_ephemeral_runners') ?? false;
  if (!ephemeral) out.ephemeral = false;
  if (ephemeral && bool('enable_jit_config') === false) out.enable_jit_config = false;
  const maximum = number('runners_maximum_count');
  if (maximum === undefined && multi) all.error(childPath(configPath, 'runners_maximum_count'), 'required');
  const max = maximum ?? 3;
  if (max !== -1) out.max_runners = max;
  const minimum = number('minimum_running_time_in_minutes') ?? (os === 'windows' ? 15 : 5);
  if (minimum !== 5) out.minimum_running_time_minutes = minimum;
  const boot = number('runner_boot_time_in_minutes');
  if (boot !== undefined && boot !== 5) out.boot_time_minutes = boot;
  if (bool('enable_job_queued_check') === false) out.job_queued_check = false;
  const prefix = read<string>(all, config, 'runner_name_prefix', tfString, configPath);
  if (prefix) out.name_prefix = prefix;
}

/** Where the pool registers its runners: the org, or (repo level) one pool per repository. */
function placements(
  runner: RunnerInput,
  all: Messages,
  options: ConvertOptions,
  allowList: readonly string[],
): { suffix: string; level: 'org' | 'repo'; owner: string }[] {
  const { config, configPath } = runner;
  const org = read<boolean>(all, config, 'enable_organization_runners', tfBool, configPath) ?? false;
  const poolOwner = read<string>(all, config, 'pool_runner_owner', tfString, configPath);
  const owner = options.owner ?? poolOwner;
  const where = childPath(configPath, 'enable_organization_runners');
  if (org) {
    if (!owner) all.warn(where, `owner unknown: give --owner ORG; written as "${OWNER_PLACEHOLDER}"`);
    return [{ suffix: '', level: 'org', owner: owner ?? OWNER_PLACEHOLDER }];
  }
  const repos = allowList.filter((repo) => !options.owner || repo.split('/')[0] === options.owner);
  if (repos.length === 0) {
    all.warn(
      where,
      `repo level without repository_white_list: a Hangar repo-level pool serves one repository; written as "${owner ?? OWNER_PLACEHOLDER}/${REPO_PLACEHOLDER}" — add one pool per repository, or use org level`,
    );
    return [{ suffix: '', level: 'repo', owner: `${owner ?? OWNER_PLACEHOLDER}/${REPO_PLACEHOLDER}` }];
  }
  if (repos.length > 1) {
    all.warn(
      where,
      `repo level: one pool per repository of repository_white_list (${repos.length}); runners_maximum_count now applies to each of them, not to all together`,
    );
  }
  return repos.map((repo) => ({
    suffix: repos.length > 1 ? (repo.split('/')[1] ?? repo) : '',
    level: 'repo',
    owner: repo,
  }));
}

/** Converts one runner configuration; `multi` says it came from multi_runner_config. */
export function convertRunner(
  runner: RunnerInput,
  all: Messages,
  options: ConvertOptions,
  context: {
    readonly allowList: readonly string[];
    readonly multi: boolean;
    readonly shared: Shared;
    /** The deployment-wide inputs (the root module's inputs when not multi). */
    readonly deployment: Input;
  },
): Pool[] {
  const target = platform(runner, all);
  if (!target) return [];
  const route = routing(runner, target, options.addLabels, all, context.multi);
  const base: JsonObject = { labels: [...route.labels] };
  if (route.matchingMode !== 'subset') base.matching_mode = route.matchingMode;
  if (route.priority !== undefined && route.priority !== 999) base.priority = route.priority;
  lifecycle(runner, all, base, target.os, context.multi);
  const windows = idleWindows(runner, all);
  if (windows.length > 0) base.idle_windows = windows;
  if (target.os !== 'linux') base.os = target.os;
  if (target.architecture !== 'x64') base.architecture = target.architecture;
  ec2Settings(runner, all, base, target.os, context.multi);
  machineSettings(runner, all, base, target.os, context.deployment);
  collectShared(runner, all, context.shared, context.multi);
  const places = placements(runner, all, options, context.allowList);
  const repoLevel = places[0]?.level === 'repo';
  const schedules = poolSchedules(runner, all, repoLevel);
  if (schedules.length > 0) base.pool_schedules = schedules;
  const group = read<string>(all, runner.config, 'runner_group_name', tfString, runner.configPath);
  if (group && group !== 'Default') {
    if (repoLevel) {
      all.warn(
        childPath(runner.configPath, 'runner_group_name'),
        'not carried over: runner groups exist for org-level runners only',
      );
    } else base.runner_group = group;
  }
  return places.map((place) => {
    const config: JsonObject = { ...base, owner: place.owner };
    if (place.level === 'repo') config.level = 'repo';
    return {
      id: place.suffix === '' ? runner.key : `${runner.key}-${place.suffix}`,
      path: runner.entryPath === '' ? '(root)' : runner.entryPath,
      config: inHangarOrder(config),
    };
  });
}
