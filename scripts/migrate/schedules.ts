// idle_config → idle_windows and pool_config → pool_schedules. Cron expressions are passed
// through unchanged: Hangar reads the reference's 6-field crons and EventBridge `cron(...)`
// itself (see docs/policies.md). EventBridge `rate(...)` has no cron equivalent, but a pool
// schedule that is always on gives what a rate gave in practice: the size, all the time.
import type { Json } from '../policy-check/terraform-types';
import { childPath } from '../policy-check/terraform-types';
import { read, type Messages } from './messages';
import type { RunnerInput } from './input';
import { IDLE_CONFIG, POOL_CONFIG } from './reference-types';

type JsonObject = { [key: string]: Json };

/** Every second of every minute: on at whatever minute the pool function runs. */
export const ALWAYS = '* * * * * *';

const EVICTION: Readonly<Record<string, string>> = {
  oldest_first: 'oldest-first',
  newest_first: 'newest-first',
};

export function idleWindows(runner: RunnerInput, all: Messages): JsonObject[] {
  const path = childPath(runner.configPath, 'idle_config');
  const config = read<JsonObject[]>(all, runner.config, 'idle_config', IDLE_CONFIG, runner.configPath) ?? [];
  return config.map((window, i) => {
    const strategy = window.evictionStrategy as string | null;
    if (strategy !== null && !(strategy in EVICTION)) {
      all.error(
        childPath(childPath(path, i), 'evictionStrategy'),
        `must be oldest_first or newest_first, got "${strategy}"`,
      );
    }
    const result: JsonObject = { cron: window.cron ?? '' };
    if (window.timeZone !== null) result.time_zone = window.timeZone!;
    result.idle_count = window.idleCount ?? 0;
    if (strategy !== null && strategy in EVICTION) result.eviction_strategy = EVICTION[strategy]!;
    return result;
  });
}

export function poolSchedules(runner: RunnerInput, all: Messages, repoLevel: boolean): JsonObject[] {
  const path = childPath(runner.configPath, 'pool_config');
  const config = read<JsonObject[]>(all, runner.config, 'pool_config', POOL_CONFIG, runner.configPath) ?? [];
  if (config.length > 0 && repoLevel) {
    all.warn(
      path,
      'changed meaning: the reference pool registered org-level runners (pool_runner_owner); Hangar tops up this repo-level pool at repo level instead',
    );
  }
  return config.map((entry, i) => {
    let cron = String(entry.schedule_expression ?? '').trim();
    if (/^rate\(/i.test(cron)) {
      all.warn(
        childPath(childPath(path, i), 'schedule_expression'),
        `changed: "${cron}" is a rate, not a cron; written as "${ALWAYS}" (always on: Hangar's pool function tops up every minute, pool_schedule). If other pool schedules should take over at times, give this one a cron instead`,
      );
      cron = ALWAYS;
    }
    const result: JsonObject = { cron };
    if (entry.schedule_expression_timezone !== null) result.time_zone = entry.schedule_expression_timezone!;
    result.size = entry.size ?? 0;
    return result;
  });
}
