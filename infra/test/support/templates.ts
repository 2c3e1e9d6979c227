import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA } from './hcl';

export const BOOTSTRAP = join(INFRA, 'bootstrap');

/** Template placeholders: `${name}`, not the escaped `$${...}` that stays literal. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<!\$)\$\{([a-z_][a-z0-9_]*)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** What templatefile() produces: placeholders replaced, `$${` unescaped. */
export function render(text: string, values: Readonly<Record<string, string>>): string {
  return text
    .replace(/(?<!\$)\$\{([a-z_][a-z0-9_]*)\}/g, (_m, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for template variable ${name}`);
      return value;
    })
    .replace(/\$\$\{/g, '${');
}

/** A boot script of infra/bootstrap rendered with `values`. */
export function renderBootstrap(file: string, values: Readonly<Record<string, string>>): string {
  return render(readFileSync(join(BOOTSTRAP, file), 'utf8'), values);
}

/**
 * The template variables the module passes a boot script (local.runner_template_variables of
 * multi-runner), with test defaults: an ephemeral x64 runner, nothing optional set. Scripts and
 * configuration travel base64-encoded.
 */
export function bootValues(
  os: 'linux' | 'windows',
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    region: 'us-east-1',
    binaries_bucket: 'hangar-binaries',
    runner_arch: 'x64',
    runner_user: os === 'linux' ? 'ec2-user' : 'hangar-runner',
    runner_as_root: 'false',
    prebuilt_image: 'false',
    ephemeral: 'true',
    log_group: '/hangar/hangar/runners',
    secret_wait_s: '20',
    enable_cloudwatch_agent: 'true',
    cloudwatch_config_base64: b64('{"logs":{}}'),
    pre_install_base64: '',
    post_install_base64: '',
    hook_job_started_base64: '',
    hook_job_completed_base64: '',
    ...(os === 'linux' ? { install_docker: 'true' } : {}),
    ...overrides,
  };
}
