// Settings the reference has per runner configuration but Hangar has once per deployment: the
// queue delay, scale-down schedule, job retry, security groups, runner policies, SSM access.
// Each configuration's value is collected, then one module input is chosen (with a warning when
// the configurations disagreed).
import { childPath, tfBool, tfNumber, tfString, type Json } from '../policy-check/terraform-types';
import type { RunnerInput } from './input';
import { read, type Messages } from './messages';
import { JOB_RETRY, REDRIVE, strings } from './reference-types';

interface Setting<T> {
  readonly path: string;
  readonly value: T;
}

export interface Shared {
  readonly delays: Setting<number>[];
  readonly scaleDownSchedules: Setting<string>[];
  readonly queueRetentions: Setting<number>[];
  readonly jobRetries: Setting<{ afterMinutes: number; requests: number }>[];
  readonly receiveCounts: Setting<number>[];
  readonly securityGroups: Setting<string[]>[];
  readonly policyArns: Setting<string[]>[];
  readonly ssm: Setting<boolean>[];
  /** The multi-runner module's own runner_additional_security_group_ids (for every runner). */
  readonly moduleSecurityGroups: string[];
}

export const emptyShared = (): Shared => ({
  delays: [],
  scaleDownSchedules: [],
  queueRetentions: [],
  jobRetries: [],
  receiveCounts: [],
  securityGroups: [],
  policyArns: [],
  ssm: [],
  moduleSecurityGroups: [],
});

export const SHARED_KEYS = [
  'delay_webhook_event',
  'scale_down_schedule_expression',
  'job_queue_retention_in_seconds',
  'job_retry',
  'runner_additional_security_group_ids',
  'runner_iam_role_managed_policy_arns',
  'enable_ssm_on_runners',
];

/** Reads one runner configuration's share (redrive comes from its entry, or the root inputs). */
export function collectShared(runner: RunnerInput, all: Messages, shared: Shared, multi: boolean): void {
  const { config, configPath } = runner;
  const at = (key: string) => childPath(configPath, key);
  shared.delays.push({
    path: at('delay_webhook_event'),
    value: read<number>(all, config, 'delay_webhook_event', tfNumber, configPath) ?? 30,
  });
  const schedule = read<string>(all, config, 'scale_down_schedule_expression', tfString, configPath);
  if (schedule !== undefined)
    shared.scaleDownSchedules.push({ path: at('scale_down_schedule_expression'), value: schedule });
  const retention = read<number>(all, config, 'job_queue_retention_in_seconds', tfNumber, configPath);
  if (retention !== undefined)
    shared.queueRetentions.push({ path: at('job_queue_retention_in_seconds'), value: retention });
  const retry = read<Record<string, Json>>(all, config, 'job_retry', JOB_RETRY, configPath);
  if (retry?.enable === true) {
    shared.jobRetries.push({
      path: at('job_retry'),
      value: {
        afterMinutes: Math.max(1, Math.ceil(Number(retry.delay_in_seconds ?? 300) / 60)),
        requests: 1 + Number(retry.max_attempts ?? 1),
      },
    });
  }
  const groups = read<string[]>(all, config, 'runner_additional_security_group_ids', strings, configPath);
  shared.securityGroups.push({ path: at('runner_additional_security_group_ids'), value: groups ?? [] });
  const policies = read<string[]>(all, config, 'runner_iam_role_managed_policy_arns', strings, configPath);
  shared.policyArns.push({ path: at('runner_iam_role_managed_policy_arns'), value: policies ?? [] });
  const ssm = read<boolean>(all, config, 'enable_ssm_on_runners', tfBool, configPath) ?? false;
  shared.ssm.push({ path: at('enable_ssm_on_runners'), value: ssm });
  const redriveKey =
    multi || runner.entry.redrive_build_queue !== undefined
      ? 'redrive_build_queue'
      : 'redrive_policy_build_queue';
  const redrive = read<Record<string, Json>>(all, runner.entry, redriveKey, REDRIVE, runner.entryPath);
  if (redrive?.enabled === true && typeof redrive.maxReceiveCount === 'number') {
    shared.receiveCounts.push({
      path: childPath(runner.entryPath, redriveKey),
      value: redrive.maxReceiveCount,
    });
  }
}

const distinct = <T>(settings: readonly Setting<T>[]) =>
  new Set(settings.map((s) => JSON.stringify(s.value))).size;

function disagree<T>(all: Messages, settings: readonly Setting<T>[], input: string, chosen: string): void {
  if (distinct(settings) <= 1) return;
  all.warn(
    settings[0]!.path,
    `configurations differ (${settings.map((s) => `${s.path} = ${JSON.stringify(s.value)}`).join(', ')}); Hangar has one ${input} for all pools: ${chosen}`,
  );
}

/** The module inputs chosen from the collected settings. */
export function sharedInputs(shared: Shared, all: Messages): Record<string, Json> {
  const inputs: Record<string, Json> = {};
  const min = (settings: readonly Setting<number>[]) => Math.min(...settings.map((s) => s.value));
  if (shared.delays.length > 0) {
    const delay = min(shared.delays);
    disagree(all, shared.delays, 'scale_up_delay_seconds', `the smallest, ${delay}`);
    if (delay !== 0) inputs.scale_up_delay_seconds = delay;
  }
  if (shared.scaleDownSchedules.length > 0) {
    const first = shared.scaleDownSchedules[0]!.value;
    disagree(all, shared.scaleDownSchedules, 'scale_down_schedule', `the first, ${first}`);
    inputs.scale_down_schedule = first;
  }
  if (shared.queueRetentions.length > 0) {
    const minutes = Math.ceil(min(shared.queueRetentions) / 60);
    disagree(all, shared.queueRetentions, 'job_queue_limit_minutes', `the smallest, ${minutes} minutes`);
    if (minutes !== 1440) inputs.job_queue_limit_minutes = minutes;
  }
  if (shared.jobRetries.length > 0) {
    const after = Math.min(...shared.jobRetries.map((s) => s.value.afterMinutes));
    const requests = Math.max(...shared.jobRetries.map((s) => s.value.requests));
    disagree(all, shared.jobRetries, 'job retry', `after ${after} minutes, up to ${requests} requests`);
    if (after !== 10) inputs.job_retry_after_minutes = after;
    if (requests !== 3) inputs.max_runner_requests_per_job = requests;
  }
  if (shared.receiveCounts.length > 0) {
    const count = min(shared.receiveCounts);
    disagree(all, shared.receiveCounts, 'queue_max_receive_count', `the smallest, ${count}`);
    inputs.queue_max_receive_count = count;
  }
  const union = (
    settings: readonly Setting<string[]>[],
    input: string,
    everywhere: readonly string[] = [],
  ) => {
    const values = [...new Set([...everywhere, ...settings.flatMap((s) => s.value)])];
    disagree(all, settings, input, 'all of them, for every runner');
    if (values.length > 0) inputs[input] = values;
  };
  union(shared.securityGroups, 'runner_security_group_ids', shared.moduleSecurityGroups);
  union(shared.policyArns, 'runner_extra_policy_arns');
  if (shared.ssm.some((s) => s.value)) {
    disagree(all, shared.ssm, 'enable_ssm_session_manager', 'on');
    inputs.enable_ssm_session_manager = true;
  }
  return inputs;
}
