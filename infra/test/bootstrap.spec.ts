import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA, loadModule } from './support/hcl';
import { BOOTSTRAP, placeholders, render } from './support/templates';
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const templateVariables = String(multi.locals.runner_template_variables);

/** The keys of the variables the module passes a template (local.runner_template_variables). */
function passedVariables(template: string): string[] {
  const keys = [...templateVariables.matchAll(/(?:^|\{)\s*([a-z_0-9]+)\s*=(?!=)/gm)].map((m) => m[1] ?? '');
  return keys.filter((key) => template.endsWith('.sh') || key !== 'install_docker').sort();
}

function bashSyntax(script: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-bash-'));
  try {
    writeFileSync(join(dir, 'script.sh'), script);
    const run = spawnSync('bash', ['-n', join(dir, 'script.sh')], { encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('runner bootstrap', () => {
  it.each(['start-runner.sh', 'start-runner.ps1'])(
    '%s uses exactly the template variables the module passes',
    (file) => {
      const text = readFileSync(join(BOOTSTRAP, file), 'utf8');
      expect(placeholders(text)).toEqual(passedVariables(file));
    },
  );

  it('renders start-runner.sh into a script bash accepts', () => {
    const text = readFileSync(join(BOOTSTRAP, 'start-runner.sh'), 'utf8');
    const values = Object.fromEntries(
      placeholders(text).map((name) => [name, name === 'secret_wait_s' ? '300' : 'x']),
    ) as Record<string, string>;
    expect(bashSyntax(render(text, values))).toEqual({ status: 0, stderr: '' });
  });

  it('fails bash -n on a broken script (the syntax check can fail)', () => {
    expect(bashSyntax('if then fi\n').status).not.toBe(0);
  });

  it('ships a fargate entrypoint bash accepts, that the Dockerfile installs as its entrypoint', () => {
    expect(bashSyntax(readFileSync(join(BOOTSTRAP, 'fargate-entrypoint.sh'), 'utf8'))).toEqual({
      status: 0,
      stderr: '',
    });
    const dockerfile = readFileSync(join(BOOTSTRAP, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY .*fargate-entrypoint\.sh \/usr\/local\/bin\/hangar-entrypoint/);
    expect(dockerfile).toMatch(/ENTRYPOINT \["\/usr\/local\/bin\/hangar-entrypoint"\]/);
    expect(dockerfile).toMatch(/^USER runner$/m);
  });

  it('reads the runner identity from the tags and env the control plane sets, and deletes the secret', () => {
    const linux = readFileSync(join(BOOTSTRAP, 'start-runner.sh'), 'utf8');
    for (const tag of ['hangar:runner-id', 'hangar:pool-id', 'hangar:secret-path'])
      expect(linux).toContain(`tags/instance/${tag}`);
    expect(linux).toContain('X-aws-ec2-metadata-token');
    // The tag and HANGAR_SECRET_PATH carry the full parameter name (SecretStore.pathFor).
    expect(linux).toMatch(/^PARAMETER="\$SECRET_PATH"$/m);
    expect(linux).toContain('aws ssm delete-parameter');
    // The secret is core's RunnerSecret JSON: both kinds are handled.
    for (const kind of ['jit)', 'registration)']) expect(linux).toContain(kind);
    expect(linux).toContain('--jitconfig "$(field jitConfig)"');
    const fargate = readFileSync(join(BOOTSTRAP, 'fargate-entrypoint.sh'), 'utf8');
    for (const env of ['HANGAR_SECRET_PATH', 'HANGAR_RUNNER_ID']) expect(fargate).toContain(env);
    expect(fargate).toMatch(/^PARAMETER="\$HANGAR_SECRET_PATH"$/m);
    expect(fargate).toContain('aws ssm delete-parameter');
  });
});
