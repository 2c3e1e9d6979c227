import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertReference } from '../migrate/convert';
import type { Message } from '../migrate/messages';
import { FIXTURES, fixtures, migrate, readFixture, runNode, writeFile } from './support/migrate-cli';

const text = (messages: readonly Message[], level: Message['level']) =>
  messages
    .filter((m) => m.level === level)
    .map((m) => `${m.path}: ${m.text}`)
    .join('\n');

const CLEAN = {
  multi_runner_config: {
    linux: {
      matcherConfig: { labelMatchers: [['self-hosted', 'linux', 'x64']], exactMatch: true },
      runner_config: {
        runner_os: 'linux',
        runner_architecture: 'x64',
        instance_types: ['m7i.large'],
        runners_maximum_count: 10,
        enable_organization_runners: true,
        enable_ephemeral_runners: true,
        delay_webhook_event: 0,
      },
    },
  },
};

describe('npm run migrate', () => {
  it('prints only the converted configuration on stdout, with the installer output on stderr', async () => {
    const result = await runNode([
      'scripts/migrate.mjs',
      `${FIXTURES}/default.tfvars.json`,
      '--owner',
      'my-org',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ runner_configs: { default: { owner: 'my-org' } } });
    expect(result.stderr).toContain('migrate: 1 pool (default)');
  });

  it('exits 0 with nothing but the summary on stderr when every setting was carried over', async () => {
    const result = await migrate(writeFile(CLEAN), '--owner', 'acme', '--format', 'pools-json');
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^migrate: 1 pool \(linux\) from .*; 0 warnings, 0 notes$/),
    ]);
    expect(JSON.parse(result.stdout)).toEqual({
      linux: {
        labels: ['self-hosted', 'linux', 'x64'],
        owner: 'acme',
        max_runners: 10,
        instance_types: ['m7i.large'],
      },
    });
  });

  it('exits 1 and names the file and reference key of every setting it could not carry over', async () => {
    const result = await migrate(
      `${FIXTURES}/multi-runner.tfvars.json`,
      '--owner',
      'my-org',
      '--output',
      join(mkdtempSync(join(tmpdir(), 'out-')), 'x.tf'),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${FIXTURES}/multi-runner.tfvars.json:multi_runner_config["linux-x64-ubuntu"].runner_config.userdata_template: warning: not carried over: the reference's template uses its own variables`,
    );
    expect(result.stderr).toMatch(/written to .*x\.tf; 16 warnings, \d+ notes/);
  });

  it('exits 2 without output for a file that is not JSON, saying how to get the JSON form', async () => {
    const file = writeFile('module "runners" {}');
    const result = await migrate(file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: not JSON`);
    expect(result.stderr).toContain('terraform console');
  });

  it('exits 2 without output for malformed input, naming every bad key as file:path', async () => {
    const file = writeFile({ runners_maximum_count: 'lots', idle_config: [{ cron: '* * 9-17 * * *' }] });
    const result = await migrate(file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}:runners_maximum_count: error: must be a number, got "lots"`);
    expect(result.stderr).toContain(`${file}:idle_config[0].idleCount: error: required`);
    expect(result.stderr).toContain(`migrate: nothing converted: 2 errors in ${file}`);
  });

  it.each([
    [[], 'give exactly one reference configuration file, got 0'],
    [['a.json', '--format', 'yaml'], '--format must be hcl, json, pools-json, got "yaml"'],
  ])('exits 2 with the usage line for bad usage %j', async (args, message) => {
    const result = await migrate(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: npm run migrate -- FILE');
  });
});

describe('converting the reference examples', () => {
  it.each(fixtures)('uses only inputs the reference module has (%s)', (name) => {
    const conversion = convertReference(readFixture(name), { owner: 'my-org', addLabels: [] });
    expect(text(conversion.messages, 'error')).toBe('');
    expect(text(conversion.messages, 'warning')).not.toContain('not an input of the reference module');
  });

  it.each([
    [
      'a list at the top',
      [],
      '(root): error: must be a JSON object: a .tfvars.json of the reference module, or its multi_runner_config map',
    ],
    [
      'an entry without runner_config',
      { multi_runner_config: { linux: { matcherConfig: { labelMatchers: [['linux']] } } } },
      'multi_runner_config.linux.runner_config: error: required: an object',
    ],
    [
      'instance types given as one string',
      {
        multi_runner_config: {
          linux: {
            ...CLEAN.multi_runner_config.linux,
            runner_config: { ...CLEAN.multi_runner_config.linux.runner_config, instance_types: { a: 1 } },
          },
        },
      },
      'multi_runner_config.linux.runner_config.instance_types: error: must be a list of string, got an object',
    ],
    [
      'a maximum that is not a number',
      { runner_extra_labels: ['x'], runners_maximum_count: 'lots' },
      'runners_maximum_count: error: must be a number, got "lots"',
    ],
    [
      'an idle window without its count',
      { idle_config: [{ cron: '* * 9-17 * * *', timeZone: 'UTC' }] },
      'idle_config[0].idleCount: error: required',
    ],
    [
      'an unknown eviction strategy',
      {
        idle_config: [{ cron: '* * 9-17 * * *', timeZone: 'UTC', idleCount: 1, evictionStrategy: 'random' }],
      },
      'idle_config[0].evictionStrategy: error: must be oldest_first or newest_first, got "random"',
    ],
  ])('converts nothing from %s and names the key at fault', (_what, input, message) => {
    const conversion = convertReference(input, { addLabels: [] });
    expect(conversion.inputs).toEqual({});
    const [path, text] = message.split(': error: ') as [string, string];
    expect(conversion.messages).toContainEqual({ level: 'error', path, text });
  });

  it('adds --add-label to every pool so jobs can be moved over one by one', () => {
    const conversion = convertReference(CLEAN, { owner: 'acme', addLabels: ['Hangar'] });
    expect(conversion.inputs.runner_configs).toMatchObject({
      linux: { labels: ['self-hosted', 'linux', 'x64', 'hangar'] },
    });
  });

  it('reads the early runner_os "win" as Windows, with its 15-minute minimum running time', () => {
    const conversion = convertReference(
      { runner_os: 'win', enable_organization_runners: true },
      { owner: 'acme', addLabels: [] },
    );
    expect(conversion.inputs.runner_configs).toMatchObject({
      default: { labels: ['self-hosted', 'windows', 'x64'], os: 'windows', minimum_running_time_minutes: 15 },
    });
  });

  it('carries key_name into every pool and tracing_config as tracing_mode, and reports every setting of a key with no equivalent', () => {
    const conversion = convertReference(
      {
        ...CLEAN,
        key_name: 'debug',
        tracing_config: { mode: 'Active' },
        log_class: 'INFREQUENT_ACCESS',
        user_agent: 'x',
      },
      { owner: 'acme', addLabels: [] },
    );
    expect(conversion.inputs).toMatchObject({
      tracing_mode: 'Active',
      runner_configs: { linux: { key_name: 'debug' } },
    });
    const warnings = text(conversion.messages, 'warning');
    expect(warnings).not.toMatch(/^(key_name|tracing_config):/m);
    expect(warnings).toContain('log_class: not carried over: Log groups are STANDARD. Not planned.');
    expect(warnings).toContain('user_agent: not carried over');
  });

  it('turns App parameters you manage into github_app_parameters, additional Apps included, and warns when one is a value', () => {
    const ssm = (name: string) => ({ arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${name}`, name });
    const kept = convertReference(
      {
        ...CLEAN,
        github_app: {
          id_ssm: ssm('/gh/id'),
          key_base64_ssm: ssm('/gh/key'),
          webhook_secret_ssm: ssm('/gh/whs'),
        },
        additional_github_apps: [{ id_ssm: ssm('/gh2/id'), key_base64_ssm: ssm('/gh2/key') }],
      },
      { owner: 'acme', addLabels: [] },
    );
    expect(kept.inputs.github_app_parameters).toEqual({
      apps: [
        { id: ssm('/gh/id').arn, private_key: ssm('/gh/key').arn },
        { id: ssm('/gh2/id').arn, private_key: ssm('/gh2/key').arn },
      ],
      webhook_secret: ssm('/gh/whs').arn,
    });
    expect(text(kept.messages, 'warning')).not.toMatch(/github_app/);
    const mixed = convertReference(
      { ...CLEAN, github_app: { id: '42', key_base64_ssm: ssm('/gh/key'), webhook_secret: 'x' } },
      { owner: 'acme', addLabels: [] },
    );
    expect(mixed.inputs.github_app_parameters).toBeUndefined();
    expect(text(mixed.messages, 'warning')).toContain(
      'key_base64_ssm: github_app_parameters takes parameters you manage, but needs all of id_ssm, key_base64_ssm, webhook_secret_ssm',
    );
    expect(JSON.stringify(mixed.inputs)).not.toContain('"x"');
  });

  it('stays silent about planned and unsupported keys left at the reference default', () => {
    const config = CLEAN.multi_runner_config.linux.runner_config;
    const conversion = convertReference(
      {
        multi_runner_config: {
          linux: {
            ...CLEAN.multi_runner_config.linux,
            runner_config: {
              ...config,
              enable_userdata: true,
              userdata_pre_install: '',
              runner_as_root: false,
              ebs_optimized: false,
            },
          },
        },
      },
      { owner: 'acme', addLabels: [] },
    );
    expect(conversion.messages).toEqual([]);
  });
});
