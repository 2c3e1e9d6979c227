import { describe, expect, it } from '@jest/globals';
import { basename, join } from 'node:path';
import { ENVIRONMENT } from '@hangar/runtime-lambda/config/environment';
import { INFRA, exampleDirs, loadModule, moduleDirs, only } from './support/hcl';

const dirs = [...moduleDirs(), ...exampleDirs()];

describe('variables', () => {
  it.each(dirs.map((dir) => [dir.slice(INFRA.length + 1), dir]))(
    'every variable of %s has a type and a non-empty description',
    async (_name, dir) => {
      const mod = await loadModule(dir);
      const problems = Object.entries(mod.variable).flatMap(([name, blocks]) => {
        const block = only(blocks, `variable ${name}`);
        return [
          ...(typeof block.type === 'string' && block.type.length > 0 ? [] : [`${name}: no type`]),
          ...(typeof block.description === 'string' && block.description.trim().length > 10
            ? []
            : [`${name}: no description`]),
        ];
      });
      expect(problems).toEqual([]);
    },
  );

  it('gives runner_configs of multi-runner exactly the type pools-document renders from', async () => {
    const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    const doc = await loadModule(join(INFRA, 'modules', 'pools-document'));
    expect(only(multi.variable.runner_configs, 'runner_configs').type).toEqual(
      only(doc.variable.configurations, 'configurations').type,
    );
  });

  it('keeps the hangar wrapper in step with multi-runner: same types and defaults, every input passed through', async () => {
    const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    const hangar = await loadModule(join(INFRA, 'modules', 'hangar'));
    const call = only(hangar.module.multi_runner, 'module multi_runner');
    const problems: string[] = [];
    for (const [name, blocks] of Object.entries(hangar.variable)) {
      if (name === 'pool_id' || name === 'runner_config') continue;
      const mine = only(blocks, name);
      const theirs = multi.variable[name]?.[0];
      if (theirs === undefined) problems.push(`${name}: not a multi-runner variable`);
      else if (mine.type !== theirs.type || JSON.stringify(mine.default) !== JSON.stringify(theirs.default))
        problems.push(`${name}: type or default differs from multi-runner`);
      if (call[name] !== `\${var.${name}}`) problems.push(`${name}: not passed to multi-runner`);
    }
    for (const name of Object.keys(multi.variable))
      if (name !== 'runner_configs' && hangar.variable[name] === undefined)
        problems.push(`${name}: multi-runner input missing from hangar`);
    const elementType = String(only(multi.variable.runner_configs, 'runner_configs').type).replace(
      /^\$\{map\((.*)\)\}$/s,
      '${$1}',
    );
    if (only(hangar.variable.runner_config, 'runner_config').type !== elementType)
      problems.push('runner_config: type differs from one entry of runner_configs');
    const outputs = (mod: typeof hangar) => Object.keys(mod.output).sort();
    if (JSON.stringify(outputs(hangar)) !== JSON.stringify(outputs(multi))) problems.push('outputs differ');
    expect(problems).toEqual([]);
  });

  it('defaults the Lambda settings to the same values the runtime assumes when unset', async () => {
    const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    const pairs: [string, keyof typeof ENVIRONMENT][] = [
      ['scale_up_delay_seconds', 'HANGAR_SCALE_UP_DELAY_SECONDS'],
      ['github_api_url', 'HANGAR_GITHUB_API_URL'],
      ['github_tls_verify', 'HANGAR_GITHUB_TLS_VERIFY'],
      ['runner_secret_path', 'HANGAR_RUNNER_SECRET_PATH'],
      ['job_retry_after_minutes', 'HANGAR_JOB_RETRY_AFTER_MINUTES'],
      ['max_runner_requests_per_job', 'HANGAR_MAX_RUNNER_REQUESTS_PER_JOB'],
      ['job_queue_limit_minutes', 'HANGAR_JOB_QUEUE_LIMIT_MINUTES'],
      ['event_retention_days', 'HANGAR_EVENT_RETENTION_DAYS'],
      ['recovery_max_github_calls', 'HANGAR_RECOVERY_MAX_GITHUB_CALLS'],
      ['orphan_grace_minutes', 'HANGAR_ORPHAN_GRACE_MINUTES'],
      ['binaries_prerelease', 'HANGAR_BINARIES_PRERELEASE'],
      ['log_level', 'POWERTOOLS_LOG_LEVEL'],
      ['prefix', 'POWERTOOLS_SERVICE_NAME'],
    ];
    const differences = pairs.flatMap(([variable, env]) => {
      const ours = String(only(multi.variable[variable], variable).default);
      const theirs = (ENVIRONMENT[env] as { default?: string }).default;
      return ours === theirs ? [] : [`${variable}=${ours} but ${env} defaults to ${String(theirs)}`];
    });
    expect(differences).toEqual([]);
    expect(basename(multi.dir)).toBe('multi-runner');
  });
});
