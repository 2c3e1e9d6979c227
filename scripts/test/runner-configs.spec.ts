import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA, loadModule } from '../../infra/test/support/hcl';
import { poolsSchema } from '../../packages/runtime-lambda/src/config/pools-schema';
import { readConfig, toPoolConfig } from '../policy-check/config';
import { renderPools } from '../policy-check/pools-document';
import {
  DEFAULT_INSTANCE_TYPES,
  RUNNER_CONFIGS_TYPE,
  readRunnerConfigs,
  standInCompute,
} from '../policy-check/runner-configs';
import { renderType } from '../policy-check/terraform-types';
import { policyCheckInProcess as policyCheck } from './support/cli-run';
import { renderWithTerraform } from './support/pools-document';

const examples = readdirSync(join(INFRA, 'examples')).sort();
const examplePools = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(INFRA, 'examples', name, 'pools.json'), 'utf8'));

/** Whitespace and commas differ between a one-line and a multi-line HCL object type. */
const normalizeType = (type: string) => type.replace(/^\$\{|\}$/g, '').replace(/[\s,]/g, '');

// Every attribute set, so each mapping of the module is exercised, plus the odd inputs
// Terraform converts (explicit null → default, "5" → 5, 30 → "30").
const EVERY_FIELD = {
  full: {
    labels: ['self-hosted', 'linux', 'x64', 'full'],
    owner: 'acme',
    matching_mode: 'exact',
    priority: 3,
    level: 'org',
    runner_group: 'ci',
    name_prefix: 'full-',
    ephemeral: false,
    max_runners: '12',
    minimum_running_time_minutes: 7,
    boot_time_minutes: null,
    job_queued_check: false,
    idle_windows: [
      {
        cron: '* * 9-17 * * 1-5',
        time_zone: 'Europe/Amsterdam',
        idle_count: 2,
        eviction_strategy: 'newest-first',
      },
      { cron: '* * 18-20 * * 1-5', idle_count: 1 },
    ],
    pool_schedules: [
      { cron: '0 0 8 * * 1-5', time_zone: 'Europe/Amsterdam', size: 3 },
      { cron: '0 0 19 * * *', size: 0 },
    ],
    capacity_type: 'on-demand',
    on_demand_failover_for: ['InsufficientInstanceCapacity'],
    max_launch_attempts: 4,
    compute: 'ec2',
    os: 'linux',
    architecture: 'arm64',
    instance_types: ['m7g.large'],
    allocation_strategy: 'capacity-optimized',
    on_demand_allocation_strategy: 'prioritized',
    spot_max_price: 30,
    ami: { owners: ['123456789012'], name_filters: ['runner-*'] },
    ami_ssm_parameter: '/images/runner',
    prebuilt_image: true,
    root_volume_size_gb: 80,
    runner_user: 'runner',
    extra_tags: { team: 'ci', 'cost-center': '42' },
    subnet_ids: ['subnet-own'],
    key_name: 'ops',
    associate_public_ipv4_address: false,
    block_device_mappings: [{ volume_size: 100 }, { device_name: '/dev/sdf', volume_size: 200 }],
    metadata_options: { http_put_response_hop_limit: 2 },
    runner_as_root: true,
    runner_disable_default_labels: true,
    enable_jit_config: false,
    userdata_pre_install: 'echo pre',
    runner_hook_job_started: 'echo started',
    install_docker: false,
    enable_cloudwatch_agent: false,
    runner_log_files: [{ file_path: '/var/log/syslog', log_stream_name: 'syslog' }],
  },
  'fargate-existing': {
    labels: ['fargate', 'own'],
    owner: 'acme',
    compute: 'fargate',
    architecture: 'arm64',
    fargate: { task_definition: 'team-runner:4', container_name: 'main' },
  },
  'fargate-full': {
    labels: ['self-hosted', 'fargate'],
    owner: 'acme/web',
    level: 'repo',
    compute: 'fargate',
    fargate: {
      image: 'runner:1',
      cpu: 4096,
      memory: 8192,
      capacity_provider: 'FARGATE_SPOT',
      assign_public_ip: true,
      environment: { CI: 'true' },
      secrets: { NPM_TOKEN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/npm' },
      ephemeral_storage_gb: 50,
      volumes: [{ name: 'cache', container_path: '/cache', efs: { file_system_id: 'fs-1' } }],
    },
  },
  'fargate-min': { labels: ['fargate'], owner: 'acme', compute: 'fargate', fargate: { image: 'runner:1' } },
  minimal: { labels: ['self-hosted'], owner: 'acme' },
  'minimal-arm64': { labels: ['arm64'], owner: 'acme', architecture: 'arm64' },
};

const cases = [
  ...examples.map((name) => ({ name: `examples/${name}`, configurations: examplePools(name) })),
  { name: 'every field', configurations: EVERY_FIELD },
];

function renderInTypeScript(configurations: unknown) {
  const read = readRunnerConfigs(configurations);
  expect(read.problems).toEqual([]);
  return { configs: read.configs, compute: standInCompute(read.configs) };
}

describe('the runner_configs reader (scripts/policy-check/runner-configs.ts)', () => {
  it('declares the same type, attribute for attribute and default for default, as modules/pools-document', async () => {
    const doc = await loadModule(join(INFRA, 'modules', 'pools-document'));
    expect(normalizeType(renderType(RUNNER_CONFIGS_TYPE))).toBe(
      normalizeType(String(doc.variable.configurations![0]!.type)),
    );
  });

  it('uses the default instance types of modules/multi-runner', async () => {
    const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    expect(DEFAULT_INSTANCE_TYPES).toEqual(multi.locals.default_instance_types);
  });

  it('renders every example and a configuration with every field exactly as terraform apply of pools-document does', () => {
    const inputs = cases.map((c) => renderInTypeScript(c.configurations));
    const rendered = renderWithTerraform(
      cases.map((c, i) => ({ configurations: c.configurations, compute: inputs[i]!.compute })),
    );
    cases.forEach((c, i) => {
      const typescript = renderPools(inputs[i]!.configs, inputs[i]!.compute);
      expect({ name: c.name, pools: typescript }).toEqual({ name: c.name, pools: rendered[i] });
      expect(poolsSchema.safeParse(typescript).success).toBe(true);
    });
  });

  it.each([
    [
      'a misspelt key',
      { max_runner: 3 },
      'runner_configs.bad.max_runner: unknown setting (Terraform would drop it silently)',
    ],
    [
      'a list where a number goes',
      { max_runners: [3] },
      'runner_configs.bad.max_runners: must be a number, got a list',
    ],
    ['no owner', { owner: null }, 'runner_configs.bad.owner: required'],
    [
      'fargate without its block',
      { compute: 'fargate' },
      'runner_configs.bad.fargate: a fargate configuration needs a fargate block',
    ],
    [
      'a reusable fargate runner',
      { compute: 'fargate', ephemeral: false, fargate: { image: 'x' } },
      'runner_configs.bad.ephemeral: must be true for fargate',
    ],
    [
      'Windows on arm64',
      { os: 'windows', architecture: 'arm64' },
      'runner_configs.bad: Windows runners are x64 only',
    ],
  ])('reports %s in the words of the Terraform form', (_what, override, message) => {
    const read = readRunnerConfigs({ bad: { labels: ['self-hosted'], owner: 'acme', ...override } });
    expect(read.problems.join('\n')).toContain(message);
  });
});

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-check-forms-')), 'config.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('policy-check reading the pools file a user deploys', () => {
  it('loads every infra/examples/*/pools.json into the pools that pools-document renders for it', () => {
    const rendered = renderWithTerraform(
      examples.map((name) => {
        const read = readRunnerConfigs(examplePools(name));
        return { configurations: examplePools(name), compute: standInCompute(read.configs) };
      }),
    );
    examples.forEach((name, i) => {
      const read = readConfig(examplePools(name));
      if (!read.ok) throw new Error(`${name}: ${read.problems.join('; ')}`);
      expect(read.form).toBe('runner-configs');
      expect(read.config.settings.pools).toEqual(poolsSchema.parse(rendered[i]).map(toPoolConfig));
    });
  });

  it('checks an example pools.json from the command line and says which form it read', async () => {
    const run = await policyCheck(
      '--config',
      'infra/examples/multi-runner/pools.json',
      '--random',
      '1',
      '--seed',
      '3',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'config infra/examples/multi-runner/pools.json: ok (4 pools: linux-arm64, linux-large, linux-x64, windows) — read as Terraform runner_configs',
    );
    expect(run.stdout).toContain('policy-check: ok');
  });

  it('names a problem of a runner_configs map by pool id and snake_case attribute', async () => {
    const pools = examplePools('multi-runner') as Record<string, Record<string, unknown>>;
    const broken = {
      ...pools,
      'linux-x64': { ...pools['linux-x64'], max_runners: -2 },
      'linux-arm64': { ...pools['linux-arm64'], idle_windows: [{ cron: '0 8-18 * *', idle_count: 1 }] },
    };
    const run = await policyCheck('--config', writeJson(broken), '--random', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '(Terraform runner_configs, rendered like infra/modules/pools-document) has problems',
    );
    expect(run.stderr).toContain('✗ runner_configs["linux-x64"].max_runners: ');
    expect(run.stderr).toContain(
      '✗ runner_configs["linux-arm64"].idle_windows[0].cron: pool linux-arm64: cron "0 8-18 * *" has 4 fields',
    );
  });

  it('reads a .tfvars.json of multi-runner inputs into pools, settings and options', () => {
    const read = readConfig({
      runner_configs: examplePools('default'),
      repository_allow_list: ['my-org/web'],
      job_retry_after_minutes: 7,
      scale_up_delay_seconds: 20,
      subnet_ids: ['subnet-a', 'subnet-b'],
      vpc_id: 'vpc-1',
      simulation: { runnerBootMinutes: 2 },
    });
    if (!read.ok) throw new Error(read.problems.join('; '));
    expect(read.form).toBe('tfvars');
    expect(read.config.settings).toMatchObject({
      repositoryAllowList: ['my-org/web'],
      jobRetryAfterMinutes: 7,
    });
    expect(read.config.options.scaleUpDelaySeconds).toBe(20);
    expect(read.config.simulation.runnerBootMinutes).toBe(2);
    expect(read.config.settings.pools.map((pool) => [pool.id, pool.maxRunners])).toEqual([['default', 20]]);
  });

  it("reads the hangar module's single runner_config under its pool_id and names problems by module input", () => {
    const read = readConfig({ pool_id: 'ci', runner_config: { labels: ['self-hosted'], owner: 'acme' } });
    expect(read.ok && read.config.settings.pools.map((pool) => pool.id)).toEqual(['ci']);
    const bad = readConfig({
      runner_config: { labels: ['self-hosted'], owner: 'acme' },
      job_retry_after_minutes: 0,
    });
    expect(bad.ok ? [] : bad.problems).toEqual([
      'job_retry_after_minutes: must be a whole number ≥ 1, got 0',
    ]);
  });

  it('reads a runtime pools document as before, and --form runtime refuses a runner_configs map', async () => {
    expect(readConfig({ pools: [] }).form).toBe('runtime');
    const run = await policyCheck(
      '--config',
      'infra/examples/default/pools.json',
      '--form',
      'runtime',
      '--random',
      '1',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config.default: unknown section');
  });
});
