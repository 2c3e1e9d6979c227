import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, isObject, type Module } from './hcl';
import { ACCOUNT } from './iam-simulation';
import { evaluateFiles } from './terraform';

export const REGION = 'us-east-1';
const MULTI = join(INFRA, 'modules', 'multi-runner');
/** What the module's data sources would return (the shim stands in for them). */
const SHIM = `locals {
  partition  = "aws"
  region     = "${REGION}"
  account_id = "${ACCOUNT}"
}
`;
/** Names the parameters the module creates would have with prefix "hangar". */
export const MODULE_PARAMETERS = {
  apps: '/hangar/config/github-apps',
  webhookSecret: '/hangar/config/webhook-secret',
};

/** What the module computes from its GitHub App inputs, evaluated by terraform. */
export interface GitHubAppInputs {
  readonly external: boolean;
  readonly parameterArns: Record<string, string>;
  readonly keyArns: string[];
  readonly webhookSecretArns: string[];
  readonly kmsKeyArns: string[];
  /** How many of each resource that could hold a credential the module would create. */
  readonly counts: { githubApps: number; webhookSecret: number; randomSecret: number };
  /** The GitHub App part of the functions' environment (null = not set). */
  readonly environment: Record<string, string | null>;
}

const unwrap = (value: unknown): string => String(value).replace(/^\$\{([\s\S]*)\}$/, '$1');

/** An expression of the module with the names of the parameters it creates filled in. */
function withModuleNames(expression: unknown): string {
  const text = unwrap(expression)
    .replaceAll('aws_ssm_parameter.github_apps[0].name', JSON.stringify(MODULE_PARAMETERS.apps))
    .replaceAll('aws_ssm_parameter.webhook_secret[0].name', JSON.stringify(MODULE_PARAMETERS.webhookSecret));
  if (/\b(aws_|data\.|module\.)/.test(text)) throw new Error(`unresolved reference in ${text}`);
  return text;
}

/**
 * A child module made of multi-runner's own github-app.tf, plus an output with the locals
 * IAM and the functions use and the module's count and environment expressions, copied from
 * the parsed module (so a change there is what gets evaluated).
 */
function childModule(multi: Module): Record<string, string> {
  const access = isObject(multi.locals.github_access) ? multi.locals.github_access : {};
  const count = (type: string, name: string) => unwrap(multi.resource[type]?.[name]?.[0]?.count);
  const output = `output "values" {
  value = {
    external          = local.github_app_external
    parameterArns     = local.github_app_parameter_arns
    keyArns           = local.github_app_key_arns
    webhookSecretArns = local.github_webhook_secret_arns
    kmsKeyArns        = local.github_app_kms_key_arns
    counts = {
      githubApps    = ${count('aws_ssm_parameter', 'github_apps')}
      webhookSecret = ${count('aws_ssm_parameter', 'webhook_secret')}
      randomSecret  = ${count('random_password', 'webhook_secret')}
    }
    environment = {
      HANGAR_GITHUB_APPS_PARAMETER    = ${withModuleNames(access.HANGAR_GITHUB_APPS_PARAMETER)}
      HANGAR_GITHUB_APP_PARAMETERS    = ${withModuleNames(access.HANGAR_GITHUB_APP_PARAMETERS)}
      HANGAR_WEBHOOK_SECRET_PARAMETER = ${withModuleNames(multi.locals.webhook_secret_parameter)}
    }
  }
}
`;
  return {
    'child/github-app.tf': readFileSync(join(MULTI, 'github-app.tf'), 'utf8'),
    'child/shim.tf': SHIM + output,
  };
}

/** Root configuration: one call of the child per case, `inputs` its arguments as HCL. */
function root(cases: Readonly<Record<string, string>>): string {
  const calls = Object.entries(cases).map(
    ([name, inputs]) => `module "${name}" {\n  source = "./child"\n${inputs}\n}\n`,
  );
  const all = Object.keys(cases)
    .map((name) => `    ${name} = module.${name}.values`)
    .join('\n');
  return `${calls.join('\n')}\noutput "all" {\n  value = {\n${all}\n  }\n}\n`;
}

/** Every case applied at once; throws with terraform's output if any fails. */
export function evaluateCases(
  multi: Module,
  cases: Readonly<Record<string, string>>,
): Record<string, GitHubAppInputs> {
  const result = evaluateFiles({ ...childModule(multi), 'main.tf': root(cases) }, 'all');
  if (!result.ok) throw new Error(result.error);
  return result.value as Record<string, GitHubAppInputs>;
}

/** The cases applied at once, expected to fail: terraform's diagnostics, unwrapped to one line. */
export function refusedCases(multi: Module, cases: Readonly<Record<string, string>>): string {
  const result = evaluateFiles({ ...childModule(multi), 'main.tf': root(cases) }, 'all');
  if (result.ok) throw new Error('expected terraform to refuse the inputs');
  return result.error.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
}
