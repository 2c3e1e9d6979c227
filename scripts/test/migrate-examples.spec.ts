// The converter on the reference module's own examples (default, ephemeral, multi-runner,
// prebuilt, windows, arm64, ubuntu, permissions-boundary), an early single-runner configuration
// (seed 003's inputs), an operator's KMS fork (seed 002) and a bare multi_runner_config map:
// what each becomes, what it warns about, and that the output renders with the real Terraform.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraform } from '../../infra/test/support/terraform';
import { poolsSchema } from '../../packages/runtime-lambda/src/config/pools-schema';
import { convertReference } from '../migrate/convert';
import { hclBody, hclValue } from '../migrate/hcl';
import { renderPools } from '../policy-check/pools-document';
import { readRunnerConfigs, standInCompute } from '../policy-check/runner-configs';
import type { Json } from '../policy-check/terraform-types';
import { policyCheckInProcess } from './support/cli-run';
import { fixtures, migrate, readFixture } from './support/migrate-cli';
import { renderWithTerraform } from './support/pools-document';

const convert = (name: string) => convertReference(readFixture(name), { owner: 'my-org', addLabels: [] });
const converted = Object.fromEntries(fixtures.map((name) => [name, convert(name)]));
const warnings = (name: string) =>
  converted[name]!.messages.filter((m) => m.level === 'warning').map((m) => `${m.path}: ${m.text}`);

const EXPECTED: Record<string, { inputs: Record<string, unknown>; warnings: readonly string[] }> = {
  'default.tfvars.json': {
    inputs: {
      prefix: 'default-hangar',
      scale_up_delay_seconds: 5,
      scale_down_schedule: 'cron(* * * * ? *)',
      enable_ssm_session_manager: true,
      runner_configs: {
        default: {
          labels: ['self-hosted', 'linux', 'x64', 'default', 'example'],
          owner: 'my-org',
          name_prefix: 'default_',
          ephemeral: false,
          max_runners: 2,
          idle_windows: [{ cron: '* * 9-17 * * *', time_zone: 'Europe/Amsterdam', idle_count: 1 }],
          instance_types: ['m7a.large', 'm5.large'],
        },
      },
    },
    warnings: [
      'github_app: not copied (secrets)',
      'enable_ami_housekeeper: not carried over: No AMI housekeeper',
    ],
  },
  'ephemeral.tfvars.json': {
    inputs: {
      job_retry_after_minutes: 3,
      max_runner_requests_per_job: 2,
      runner_configs: {
        default: {
          max_runners: 20,
          pool_schedules: [{ cron: 'cron(0/3 14 * * ? *)', time_zone: 'Europe/Amsterdam', size: 3 }],
        },
      },
    },
    warnings: [],
  },
  'prebuilt.tfvars.json': {
    inputs: {
      runner_configs: {
        default: {
          level: 'repo',
          owner: 'my-org/REPLACE-WITH-REPO',
          ami: { owners: ['123456789012'], name_filters: ['github-runner-al2023-x86_64-*'] },
          prebuilt_image: true,
        },
      },
    },
    warnings: [
      "enable_userdata: not carried over: an image built for the reference starts its runner the reference's way",
      'enable_organization_runners: repo level without repository_white_list',
    ],
  },
  'windows.tfvars.json': {
    inputs: {
      runner_configs: {
        default: {
          labels: ['self-hosted', 'windows', 'x64', 'default', 'example'],
          owner: 'my-org/windows-app',
          level: 'repo',
          minimum_running_time_minutes: 15,
          boot_time_minutes: 20,
          os: 'windows',
        },
      },
    },
    warnings: [],
  },
  'arm64.tfvars.json': {
    inputs: {
      runner_configs: {
        'default-api': { owner: 'my-org/api', level: 'repo', architecture: 'arm64', max_runners: 1 },
        'default-web': { owner: 'my-org/web', level: 'repo', architecture: 'arm64', max_runners: 1 },
      },
    },
    warnings: ['runners_maximum_count now applies to each of them'],
  },
  'ubuntu.tfvars.json': {
    inputs: {
      runner_configs: {
        default: {
          runner_user: 'ubuntu',
          runner_log_files: [
            { file_path: '/var/log/syslog', log_stream_name: 'syslog' },
            { file_path: '/var/log/user-data.log', log_stream_name: 'user_data' },
            { file_path: '/opt/actions-runner/_diag/Runner_**.log', log_stream_name: 'runner' },
          ],
          ami: {
            owners: ['099720109477'],
            name_filters: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'],
          },
        },
      },
    },
    warnings: [
      "userdata_template: not carried over: the reference's template uses its own variables",
      'runner_log_files: partly carried over: file paths and stream names only',
    ],
  },
  'permissions-boundary.tfvars.json': {
    inputs: {
      permissions_boundary_arn: 'arn:aws:iam::123456789012:policy/runner-boundary',
      role_path: '/runners/',
      instance_profile_path: '/runners/',
      ssm_kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    },
    warnings: [],
  },
  'legacy-v0.tfvars.json': {
    inputs: {
      prefix: 'gh-ci-hangar',
      github_api_url: 'https://github.internal.example/api/v3',
      github_tls_verify: false,
      binaries_prerelease: true,
      scale_up_delay_seconds: 30,
      lambda_timeouts: { webhook: 10, 'scale-up': 180, 'scale-down': 60 },
      runner_configs: {
        default: {
          labels: ['self-hosted', 'linux', 'x64', 'default', 'example'],
          runner_group: 'ci',
          minimum_running_time_minutes: 10,
          instance_types: ['m5.large'],
          ami: { owners: ['amazon'], name_filters: ['amzn2-ami-hvm-2.*-x86_64-ebs'] },
          root_volume_size_gb: 50,
          key_name: 'ci-debug',
          runner_as_root: true,
          userdata_pre_install: 'yum install -y jq',
          userdata_post_install: 'echo done',
          enable_cloudwatch_agent: false,
        },
      },
    },
    warnings: ['logging_retention_in_days: not carried over: 0 is not a retention'],
  },
  'kms-fork.tfvars.json': {
    inputs: {
      sqs_kms_key_arn: 'arn:aws:kms:us-west-2:123456789012:key/aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb',
      s3_kms_key_arn: 'arn:aws:kms:us-west-2:123456789012:key/aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb',
      ssm_kms_key_arn: 'arn:aws:kms:us-west-2:123456789012:key/aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb',
      logs_kms_key_arn: 'arn:aws:kms:us-west-2:123456789012:key/cccccccc-1111-2222-3333-dddddddddddd',
      log_level: 'DEBUG',
      role_path: '/ops/',
      runner_extra_policy_arns: ['arn:aws:iam::123456789012:policy/cso-baseline-logging'],
      lambda_s3_bucket: 'ops-github-runner-lambdas',
      tracing_mode: 'Active',
      github_app_parameters: {
        apps: [
          {
            id: 'arn:aws:ssm:us-west-2:123456789012:parameter/ops/github/runner/dev/app-id',
            private_key: 'arn:aws:ssm:us-west-2:123456789012:parameter/ops/github/runner/dev/private-key',
          },
        ],
        webhook_secret: 'arn:aws:ssm:us-west-2:123456789012:parameter/ops/github/runner/dev/webhook-secret',
      },
    },
    warnings: [],
  },
  'multi-runner.tfvars.json': {
    inputs: {
      runner_configs: {
        'linux-x64-ubuntu': { labels: ['self-hosted', 'linux', 'x64', 'ubuntu-latest', 'ubuntu-2404'] },
        'linux-arm64': {
          runner_hook_job_started: 'echo "Running pre job hook as $(whoami)"\n',
          runner_hook_job_completed: 'echo "Running post job hook as $(whoami)"\n',
        },
        'linux-x64': {
          metadata_options: { http_tokens: 'optional' },
          matching_mode: 'loose',
          priority: 1,
          ami_ssm_parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
          on_demand_failover_for: ['InsufficientInstanceCapacity'],
          subnet_ids: ['subnet-0a1b2c3d4e5f60001'],
        },
        'windows-x64': { os: 'windows', boot_time_minutes: 20, minimum_running_time_minutes: 15 },
      },
    },
    warnings: [
      'multi_runner_config["linux-x64-ubuntu"].matcherConfig.labelMatchers: partly carried over',
      'multi_runner_config["linux-x64"].runner_config.runner_metadata_options.instance_metadata_tags: not carried over: Hangar keeps it enabled',
      'multi_runner_config["linux-x64"].runner_config.vpc_id: not carried over',
      'Hangar has one scale_up_delay_seconds for all pools: the smallest, 0',
    ],
  },
  'multi-runner-map.json': {
    inputs: {
      queue_max_receive_count: 50,
      job_queue_limit_minutes: 120,
      runner_configs: {
        'linux-large': {
          matching_mode: 'exact',
          priority: 10,
          runner_group: 'large-runners',
          capacity_type: 'on-demand',
          instance_types: ['c7i.4xlarge', 'c6i.4xlarge', 'm6i.4xlarge'],
          on_demand_allocation_strategy: 'prioritized',
          idle_windows: [{ eviction_strategy: 'newest-first' }],
          pool_schedules: [
            { cron: 'cron(0 8 ? * MON-FRI *)' },
            { cron: 'cron(0 19 ? * MON-FRI *)', size: 0 },
          ],
          root_volume_size_gb: 100,
        },
        'spot-arm': { pool_schedules: [{ cron: '* * * * * *', size: 1 }], spot_max_price: '0.08' },
      },
    },
    warnings: [
      'pool_config[0].schedule_expression: changed: "rate(5 minutes)" is a rate, not a cron',
      'multi_runner_config.mac.runner_config.runner_os: not carried over: macOS runners',
    ],
  },
};

describe('the reference examples, converted', () => {
  it('has an expectation for every fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...fixtures]);
  });

  it.each(fixtures)('converts %s into the expected inputs, warning about what it leaves behind', (name) => {
    const expected = EXPECTED[name]!;
    expect(converted[name]!.inputs).toMatchObject(expected.inputs);
    for (const warning of expected.warnings) expect(warnings(name).join('\n')).toContain(warning);
  });

  it('renders every conversion, as JSON and as HCL, through modules/pools-document into pools the runtime schema accepts', () => {
    // And one value HCL would read as a template if the writer did not escape it.
    const tricky = {
      tricky: {
        labels: ['self-hosted'],
        owner: 'acme',
        extra_tags: { 'ghr:note': 'run ${HOME} %{x} "q" \\ \n' },
      },
    };
    const names = [...fixtures, 'tricky'];
    const cases = names.map((name) => {
      const runnerConfigs = (converted[name]?.inputs.runner_configs ?? tricky) as Record<string, Json>;
      const read = readRunnerConfigs(runnerConfigs);
      expect(read.problems).toEqual([]);
      return { runnerConfigs, configs: read.configs, compute: standInCompute(read.configs) };
    });
    const rendered = renderWithTerraform(
      cases.flatMap((c) => [
        { configurations: c.runnerConfigs, compute: c.compute },
        { configurations: hclValue(c.runnerConfigs, '  '), compute: c.compute, hcl: true },
      ]),
    );
    cases.forEach((c, i) => {
      const fromJson = rendered[2 * i];
      expect({ fixture: names[i], pools: rendered[2 * i + 1] }).toEqual({
        fixture: names[i],
        pools: fromJson,
      });
      expect({ fixture: names[i], pools: renderPools(c.configs, c.compute) }).toEqual({
        fixture: names[i],
        pools: fromJson,
      });
      const parsed = poolsSchema.safeParse(fromJson);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    });
  });

  it('writes HCL that terraform fmt leaves unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-hcl-'));
    for (const name of fixtures) writeFileSync(join(dir, `${name}.tfvars`), hclBody(converted[name]!.inputs));
    const check = terraform(['fmt', '-check', '-diff', '-no-color', dir], dir);
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it('hands policy-check a .tfvars.json it reads and simulates', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migrate-out-')), 'hangar.tfvars.json');
    const conversion = await migrate(
      'scripts/migrate/fixtures/default.tfvars.json',
      '--owner',
      'my-org',
      '--format',
      'json',
      '--output',
      out,
    );
    expect(conversion.code).toBe(1);
    const check = await policyCheckInProcess('--config', out, '--random', '2', '--seed', '1');
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('ok (1 pool: default) — read as Terraform inputs');
    expect(check.code).toBe(0);
  });
});
