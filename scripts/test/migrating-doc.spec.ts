import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, loadModule } from '../../infra/test/support/hcl';
import { KEY_TABLES, referenceKey, type KeyScope } from '../migrate/reference-keys';
import { RUNNER_CONFIGS_TYPE } from '../policy-check/runner-configs';
import type { TfAttribute } from '../policy-check/terraform-types';
import { DOC, renderDoc } from '../migrate/render-doc';

const doc = readFileSync(DOC, 'utf8');
const scopes = Object.keys(KEY_TABLES) as KeyScope[];
const known = (key: string) => scopes.some((scope) => referenceKey(scope, key) !== undefined);

// The reference module's inputs table in its early README (seed 003), all 61 rows.
const SEED_003_INPUTS = [
  'ami_filter',
  'ami_owners',
  'aws_region',
  'block_device_mappings',
  'cloudwatch_config',
  'create_service_linked_role_spot',
  'delay_webhook_event',
  'disable_check_wokflow_job_labels',
  'enable_cloudwatch_agent',
  'enable_organization_runners',
  'enable_ssm_on_runners',
  'environment',
  'ghes_ssl_verify',
  'ghes_url',
  'github_app',
  'idle_config',
  'instance_profile_path',
  'instance_type',
  'instance_types',
  'key_name',
  'kms_key_arn',
  'lambda_s3_bucket',
  'lambda_security_group_ids',
  'lambda_subnet_ids',
  'logging_retention_in_days',
  'market_options',
  'minimum_running_time_in_minutes',
  'repository_white_list',
  'role_path',
  'role_permissions_boundary',
  'runner_additional_security_group_ids',
  'runner_allow_prerelease_binaries',
  'runner_as_root',
  'runner_binaries_syncer_lambda_timeout',
  'runner_binaries_syncer_lambda_zip',
  'runner_boot_time_in_minutes',
  'runner_egress_rules',
  'runner_extra_labels',
  'runner_group_name',
  'runner_iam_role_managed_policy_arns',
  'runner_log_files',
  'runners_lambda_s3_key',
  'runners_lambda_s3_object_version',
  'runners_lambda_zip',
  'runners_maximum_count',
  'runners_scale_down_lambda_timeout',
  'runners_scale_up_lambda_timeout',
  'scale_down_schedule_expression',
  'subnet_ids',
  'syncer_lambda_s3_key',
  'syncer_lambda_s3_object_version',
  'tags',
  'userdata_post_install',
  'userdata_pre_install',
  'userdata_template',
  'volume_size',
  'vpc_id',
  'webhook_lambda_s3_key',
  'webhook_lambda_s3_object_version',
  'webhook_lambda_timeout',
  'webhook_lambda_zip',
];

// The inputs its current README (seed 000) names in prose and examples.
const SEED_000_INPUTS = [
  'ami_id_ssm_parameter_name',
  'aws_region',
  'create_service_linked_role_spot',
  'delay_webhook_event',
  'enable_fifo_build_queue',
  'enable_jit_config',
  'enable_job_queued_check',
  'enable_organization_runners',
  'enable_ssm_on_runners',
  'enable_workflow_job_events_queue',
  'github_app',
  'idle_config',
  'instance_types',
  'job_queue_retention_in_seconds',
  'kms_key_arn',
  'lambda_s3_bucket',
  'minimum_running_time_in_minutes',
  'pool_config',
  'pool_runner_owner',
  'prefix',
  'redrive_build_queue',
  'runner_architecture',
  'runner_binaries_syncer_lambda_zip',
  'runners_lambda_zip',
  'ssm_paths',
  'subnet_ids',
  'vpc_id',
  'webhook_lambda_zip',
  'workflow_job_events_queue_config',
];

// What issue 12 added, by the reference input it replaces.
const ADDED_IN_ISSUE_12 = [
  'userdata_pre_install',
  'userdata_post_install',
  'userdata_template',
  'userdata_content',
  'enable_userdata',
  'runner_hook_job_started',
  'runner_hook_job_completed',
  'key_name',
  'associate_public_ipv4_address',
  'runner_metadata_options',
  'runner_as_root',
  'runner_disable_default_labels',
  'enable_jit_config',
  'enable_cloudwatch_agent',
  'runner_log_files',
  'cloudwatch_config',
  'lambda_runtime',
  'tracing_config',
  'webhook_lambda_memory_size',
  'runners_scale_up_lambda_memory_size',
  'pool_lambda_memory_size',
  'github_app',
  'additional_github_apps',
];

describe('docs/migrating.md', () => {
  it('contains the reference-input tables exactly as generated from scripts/migrate/*-keys.ts (run render-doc.ts when this fails)', () => {
    expect(doc).toBe(renderDoc(doc));
  });

  it.each([
    ['seed 003', SEED_003_INPUTS],
    ['seed 000', SEED_000_INPUTS],
  ])('has a row for every reference input %s names', (_seed, inputs) => {
    expect(inputs.filter((key) => !known(key))).toEqual([]);
  });

  it('maps what issue 12 added to the Hangar inputs it became, each a real input or runner_configs attribute', async () => {
    const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    const runnerAttributes = (
      RUNNER_CONFIGS_TYPE as { element: { attributes: readonly TfAttribute[] } }
    ).element.attributes.map((attribute) => attribute.name);
    const inputs = new Set([...Object.keys(multi.variable), ...runnerAttributes]);
    const rows = ADDED_IN_ISSUE_12.map(
      (key) => referenceKey('runner', key) ?? referenceKey('deployment', key),
    );
    expect(
      rows.filter((row) => !['mapped', 'partly'].includes(row?.status ?? '')).map((row) => row?.key),
    ).toEqual([]);
    for (const row of rows) {
      const named = [...row!.hangar.matchAll(/`([a-z0-9_]+)(?:\[[^\]]*\])?`/g)].map((m) => m[1]!);
      expect({ key: row!.key, missing: named.filter((name) => !inputs.has(name)) }).toEqual({
        key: row!.key,
        missing: [],
      });
      expect(named.length).toBeGreaterThan(0);
    }
    expect(doc).not.toContain('Docker on the runner (`docker`)');
    expect(doc).not.toContain('**Still planned (issue 12)**');
  });

  it('gives every row without an equivalent a reason, and lists no input twice in a table', () => {
    for (const scope of scopes) {
      const keys = KEY_TABLES[scope].map((row) => row.key);
      expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
      const unexplained = KEY_TABLES[scope].filter(
        (row) => (row.status === 'none' || row.status === 'partly') && row.note.trim() === '',
      );
      expect(unexplained.map((row) => row.key)).toEqual([]);
    }
  });

  it('documents the command, its formats and its exit codes', () => {
    for (const text of [
      'npm run migrate --',
      '--format json',
      '--format pools-json',
      '--owner ORG',
      '--add-label LABEL',
    ])
      expect(doc).toContain(text);
    expect(doc).toContain(
      '**Exit codes:** `0` converted, nothing left behind; `1` converted, with warnings; `2` bad usage',
    );
  });
});
