import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA, REPO, loadModule } from './support/hcl';
import { BINARIES_BUCKET, renderRunners } from './support/runner-locals';
import { render, renderBootstrap } from './support/templates';

// userdata_template, runner_log_files and cloudwatch_config THROUGH multi-runner: its own
// locals and the launch template's user_data expression, evaluated by terraform in one run.
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const work = mkdtempSync(join(tmpdir(), 'hangar-userdata-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The template variables docs/infra.md documents ("User data" table, first column). */
function documentedVariables(): string[] {
  const doc = readFileSync(join(REPO, 'docs', 'infra.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| Variable | Value |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  return rows.flatMap((row) =>
    [...(row.split('|')[1] ?? '').matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1] ?? ''),
  );
}

// A template using every documented variable, the `$${...}` escape, and a shell variable.
const documented = documentedVariables();
const TEMPLATE = [
  '#!/bin/bash',
  ...documented.map((name) => `echo "${name}=\${${name}}"`),
  'echo "$${HOME} stays literal"',
  '',
].join('\n');
const templatePath = join(work, 'boot.sh.tftpl');
writeFileSync(templatePath, TEMPLATE);

const b64 = (text: string) => Buffer.from(text).toString('base64');
const decode = (text: string | null | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
const LOG_GROUP = '/hangar/hangar/runners';
const base = { labels: ['self-hosted'], owner: 'acme' };
const rendering = renderRunners(multi, {
  custom: {
    ...base,
    architecture: 'arm64',
    ephemeral: false,
    userdata_template: templatePath,
    userdata_pre_install: 'dnf install -y jq',
    runner_hook_job_started: 'echo started',
    runner_log_files: [{ file_path: '/var/log/app/*.log', log_stream_name: 'app' }],
  },
  stock: { ...base },
  override: { ...base, cloudwatch_config: '{"logs":{"logs_collected":{"files":{"collect_list":[]}}},"x":1}' },
  windows: {
    ...base,
    os: 'windows',
    runner_log_files: [{ file_path: 'C:\\logs\\job.log', log_stream_name: 'job' }],
  },
  image: { ...base, enable_userdata: false, prebuilt_image: true },
});

interface AgentFile {
  file_path: string;
  log_group_name: string;
  log_stream_name: string;
}
const collected = (id: string): AgentFile[] =>
  (
    JSON.parse(rendering.cloudwatch[id] ?? '{}') as {
      logs: { logs_collected: { files: { collect_list: AgentFile[] } } };
    }
  ).logs.logs_collected.files.collect_list;

describe('userdata_template rendered through multi-runner', () => {
  it('documents exactly the variables the module passes a Linux template', () => {
    expect([...documented].sort()).toEqual(Object.keys(rendering.variables.custom ?? {}).sort());
  });

  it('substitutes every documented variable, and the launch template sends the rendered result', () => {
    const expected = render(TEMPLATE, {
      region: 'us-east-1',
      binaries_bucket: BINARIES_BUCKET,
      runner_arch: 'arm64',
      runner_user: 'ec2-user',
      runner_as_root: 'false',
      prebuilt_image: 'false',
      ephemeral: 'false',
      install_docker: 'true',
      log_group: LOG_GROUP,
      secret_wait_s: String(2 * 6 * 60 + 60),
      enable_cloudwatch_agent: 'true',
      cloudwatch_config_base64: b64(rendering.cloudwatch.custom ?? ''),
      pre_install_base64: b64('dnf install -y jq'),
      post_install_base64: '',
      hook_job_started_base64: b64('echo started'),
      hook_job_completed_base64: '',
    });
    expect(decode(rendering.userData.custom)).toBe(expected);
    expect(expected).toContain('echo "${HOME} stays literal"');
    expect(expected).not.toMatch(/\$\{(?!HOME)/);
  });

  it('renders Hangar’s own script when no template is given, and sends nothing with enable_userdata = false', () => {
    const values = rendering.variables.stock ?? {};
    expect(decode(rendering.userData.stock)).toBe(renderBootstrap('start-runner.sh', values));
    expect(decode(rendering.userData.windows)).toBe(
      `<powershell>\n${renderBootstrap('start-runner.ps1', rendering.variables.windows ?? {})}\n</powershell>`,
    );
    expect(rendering.userData.image).toBeNull();
  });
});

describe('the CloudWatch agent configuration from runner_log_files and cloudwatch_config', () => {
  it('collects the boot log, the runner diagnostics and every runner_log_files entry into the runner log group, one stream per file and instance', () => {
    expect(collected('custom')).toEqual([
      {
        file_path: '/var/log/hangar-boot.log',
        log_group_name: LOG_GROUP,
        log_stream_name: '{instance_id}/boot',
      },
      {
        file_path: '/opt/actions-runner/_diag/Runner_*.log',
        log_group_name: LOG_GROUP,
        log_stream_name: '{instance_id}/runner',
      },
      {
        file_path: '/opt/actions-runner/_diag/Worker_*.log',
        log_group_name: LOG_GROUP,
        log_stream_name: '{instance_id}/worker',
      },
      { file_path: '/var/log/app/*.log', log_group_name: LOG_GROUP, log_stream_name: '{instance_id}/app' },
    ]);
    expect(collected('stock').map((f) => f.log_stream_name)).toEqual([
      '{instance_id}/boot',
      '{instance_id}/runner',
      '{instance_id}/worker',
    ]);
    expect(collected('windows').at(-1)).toEqual({
      file_path: 'C:\\logs\\job.log',
      log_group_name: LOG_GROUP,
      log_stream_name: '{instance_id}/job',
    });
    expect(collected('windows')[0]?.file_path).toBe('C:\\hangar-boot.log');
  });

  it('hands the boot script the configuration it renders, and cloudwatch_config replaces it verbatim', () => {
    for (const id of ['custom', 'stock', 'override', 'windows'])
      expect([id, decode(rendering.variables[id]?.cloudwatch_config_base64)]).toEqual([
        id,
        rendering.cloudwatch[id],
      ]);
    expect(rendering.cloudwatch.override).toBe(
      '{"logs":{"logs_collected":{"files":{"collect_list":[]}}},"x":1}',
    );
  });
});
