import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ENVIRONMENT,
  HANDLERS,
  HANDLER_NAMES,
  requiredVariablesFor,
  variablesFor,
  type HandlerName,
} from '@hangar/runtime-lambda/config/environment';
import { INFRA, REPO, exampleDirs, isObject, loadModule, moduleDirs, only } from './support/hcl';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const fn = only(multi.resource.aws_lambda_function?.handler, 'aws_lambda_function.handler');
const handlers = multi.locals.handlers;
const environment = multi.locals.handler_environment;

const RUNTIME_LAMBDA = join(REPO, 'packages', 'runtime-lambda');
const runtimes = JSON.parse(readFileSync(join(RUNTIME_LAMBDA, 'lambda-runtime.json'), 'utf8')) as {
  default: string;
  supported: Record<string, { node: number }>;
  deprecated: Record<string, { node: number }>;
  testedOn: number;
};

/** The runtimes a `contains([...], var.lambda_runtime)` validation accepts. */
function acceptedRuntimes(dir: string, variable: { validation?: unknown }): string[] {
  const conditions = (variable.validation as { condition: string }[] | undefined) ?? [];
  const match = conditions
    .map((v) => /contains\(\[([^\]]*)\], var\.lambda_runtime\)/.exec(v.condition))
    .find((m) => m !== null);
  if (match === undefined || match === null)
    throw new Error(`${dir}: lambda_runtime has no contains([...]) validation`);
  return [...(match[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '').sort();
}

describe('Lambda functions', () => {
  it('deploys exactly the eight handlers of HANDLERS, one function each', () => {
    expect(isObject(handlers) && Object.keys(handlers).sort()).toEqual([...HANDLER_NAMES].sort());
    expect(fn.for_each).toBe('${local.handlers}');
    expect(Object.keys(multi.resource.aws_lambda_function ?? {})).toEqual(['handler']);
  });

  it('uses the handler string, runtime and bundle file each HANDLERS entry declares', () => {
    for (const name of HANDLER_NAMES) expect(HANDLERS[name].handler).toBe(fn.handler);
    expect(fn.runtime).toBe('${var.lambda_runtime}');
    // The bundle name is the handler name (HANDLERS[name].bundle === name), keyed by each.key.
    for (const name of HANDLER_NAMES) expect(HANDLERS[name].bundle).toBe(name);
    expect(String(fn.filename)).toContain('${local.lambda_zip_dir}/${each.key}.zip');
    expect(String(fn.s3_key)).toContain('"lambda/${each.key}.zip"');
    expect(String(multi.locals.lambda_zip_dir)).toContain('${path.module}/../../../dist/lambda');
  });

  it('runs no function on a deprecated runtime: lambda_runtime defaults to and accepts only supported ones', async () => {
    const problems: string[] = [];
    for (const dir of [...moduleDirs(), ...exampleDirs()]) {
      const mod = await loadModule(dir);
      for (const [name, blocks] of Object.entries(mod.resource.aws_lambda_function ?? {}))
        for (const block of blocks)
          if (String(block.runtime) in runtimes.deprecated || !String(block.runtime).startsWith('${var.'))
            problems.push(`${dir}: aws_lambda_function.${name} runtime ${String(block.runtime)}`);
      const variable = mod.variable.lambda_runtime?.[0];
      if (variable === undefined) continue;
      if (variable.default !== runtimes.default)
        problems.push(`${dir}: lambda_runtime defaults to ${String(variable.default)}`);
      const accepted = acceptedRuntimes(dir, variable);
      if (JSON.stringify(accepted) !== JSON.stringify(Object.keys(runtimes.supported).sort()))
        problems.push(`${dir}: lambda_runtime accepts ${accepted.join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(runtimes.supported)).toContain(runtimes.default);
    expect(Object.keys(runtimes.supported).filter((r) => r in runtimes.deprecated)).toEqual([]);
  });

  it("builds the bundles for the default runtime's Node and for the Node these tests run on", async () => {
    const build = (await import(pathToFileURL(join(RUNTIME_LAMBDA, 'scripts', 'build.mjs')).href)) as {
      LAMBDA_RUNTIME: string;
      TARGETS: string[];
    };
    expect(build.LAMBDA_RUNTIME).toBe(runtimes.default);
    expect(build.TARGETS).toEqual([
      `node${runtimes.testedOn}`,
      `node${runtimes.supported[runtimes.default]?.node}`,
    ]);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(runtimes.testedOn);
  });

  it('sets only variables each handler reads, and every variable it requires', () => {
    expect(isObject(environment) && Object.keys(environment).sort()).toEqual([...HANDLER_NAMES].sort());
    const problems: string[] = [];
    for (const name of HANDLER_NAMES) {
      const env = isObject(environment) ? environment[name] : undefined;
      const names = isObject(env) ? Object.keys(env) : [];
      for (const variable of names) {
        if (!(variable in ENVIRONMENT)) problems.push(`${name}: ${variable} is not in ENVIRONMENT`);
        else if (!variablesFor(name).includes(variable as keyof typeof ENVIRONMENT))
          problems.push(`${name}: ${variable} is not read by this handler`);
      }
      for (const required of requiredVariablesFor(name))
        if (!names.includes(required)) problems.push(`${name}: required ${required} is missing`);
    }
    expect(problems).toEqual([]);
    expect(only(fn.environment as never, 'environment').variables).toContain(
      'local.handler_environment[each.key]',
    );
  });

  it('gives the binaries syncer no GitHub App key: neither the parameter nor the permission to read it', () => {
    const capabilities = multi.locals.lambda_capabilities;
    const syncer = isObject(capabilities) ? capabilities['binaries-syncer'] : undefined;
    expect(syncer).toEqual(['binaries_write']);
    const env = isObject(environment) ? environment['binaries-syncer'] : undefined;
    expect(isObject(env) && Object.keys(env).filter((name) => name.startsWith('HANGAR_GITHUB_'))).toEqual([]);
  });

  it('gives every handler its own role and a capability list, and every capability a document', () => {
    const capabilities = multi.locals.lambda_capabilities;
    const documents = multi.locals.capability_documents;
    expect(isObject(capabilities) && Object.keys(capabilities).sort()).toEqual([...HANDLER_NAMES].sort());
    const missing = Object.entries(isObject(capabilities) ? capabilities : {}).flatMap(([handler, list]) =>
      (Array.isArray(list) ? list : [])
        .filter((c) => !isObject(documents) || !(String(c) in documents))
        .map((c) => `${handler}: ${String(c)}`),
    );
    expect(missing).toEqual([]);
    expect(fn.role).toBe('${aws_iam_role.lambda[each.key].arn}');
  });

  it('lets only the handlers that read the GitHub App parameter read its keys (not the binaries syncer)', () => {
    const capabilities = multi.locals.lambda_capabilities;
    const holders = HANDLER_NAMES.filter(
      (name) =>
        isObject(capabilities) &&
        Array.isArray(capabilities[name]) &&
        capabilities[name].includes('github_apps_read'),
    );
    const readers = HANDLER_NAMES.filter((name) =>
      variablesFor(name).includes('HANGAR_GITHUB_APPS_PARAMETER'),
    );
    expect(holders).toEqual(readers);
    expect(holders).not.toContain('binaries-syncer');
  });

  it('wires the SQS handlers with partial batch responses and the scheduled ones to EventBridge Scheduler', () => {
    const sqs = Object.values(multi.resource.aws_lambda_event_source_mapping ?? {}).map((b) =>
      only(b, 'mapping'),
    );
    expect(sqs).toHaveLength(HANDLER_NAMES.filter((n) => HANDLERS[n].trigger === 'sqs').length);
    for (const mapping of sqs) expect(mapping.function_response_types).toEqual(['ReportBatchItemFailures']);
    const schedules = multi.locals.schedules;
    const scheduled = HANDLER_NAMES.filter((n: HandlerName) => HANDLERS[n].trigger === 'schedule').sort();
    expect(isObject(schedules) && Object.keys(schedules).sort()).toEqual(scheduled);
    const schedule = only(multi.resource.aws_scheduler_schedule?.handler, 'schedule');
    expect(schedule.schedule_expression_timezone).toBe('${var.schedule_timezone}');
  });
});
