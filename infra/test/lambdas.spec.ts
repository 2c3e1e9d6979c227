import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  ENVIRONMENT,
  HANDLERS,
  HANDLER_NAMES,
  requiredVariablesFor,
  variablesFor,
  type HandlerName,
} from '@hangar/runtime-lambda/config/environment';
import { INFRA, isObject, loadModule, only } from './support/hcl';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const fn = only(multi.resource.aws_lambda_function?.handler, 'aws_lambda_function.handler');
const handlers = multi.locals.handlers;
const environment = multi.locals.handler_environment;

describe('Lambda functions', () => {
  it('deploys exactly the eight handlers of HANDLERS, one function each', () => {
    expect(isObject(handlers) && Object.keys(handlers).sort()).toEqual([...HANDLER_NAMES].sort());
    expect(fn.for_each).toBe('${local.handlers}');
    expect(Object.keys(multi.resource.aws_lambda_function ?? {})).toEqual(['handler']);
  });

  it('uses the handler string, runtime and bundle file each HANDLERS entry declares', () => {
    for (const name of HANDLER_NAMES) expect(HANDLERS[name].handler).toBe(fn.handler);
    expect(fn.runtime).toBe('nodejs20.x');
    // The bundle name is the handler name (HANDLERS[name].bundle === name), keyed by each.key.
    for (const name of HANDLER_NAMES) expect(HANDLERS[name].bundle).toBe(name);
    expect(String(fn.filename)).toContain('${local.lambda_zip_dir}/${each.key}.zip');
    expect(String(fn.s3_key)).toContain('"lambda/${each.key}.zip"');
    expect(String(multi.locals.lambda_zip_dir)).toContain('${path.module}/../../../dist/lambda');
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
