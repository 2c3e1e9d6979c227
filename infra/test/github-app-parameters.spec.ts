import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { ConfigurationError } from '@hangar/core';
import { GITHUB_APP_USERS, HANDLER_NAMES } from '@hangar/runtime-lambda/config/environment';
import { configure, type ParameterSource } from '@hangar/runtime-lambda/config/load';
import { INFRA, isObject, loadModule } from './support/hcl';
import { evaluateCases, MODULE_PARAMETERS, refusedCases } from './support/github-app-inputs';

// github_app_parameters (seed 002's set-up: the App credentials live in SSM parameters the
// operator created) evaluated by terraform from the module's own github-app.tf and count /
// environment expressions, then handed to the runtime's own configuration loader.
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));

const SEED = {
  appId: '/ops/github/runner/dev/app-id',
  privateKey: 'arn:aws:ssm:us-east-1:123456789012:parameter/ops/github/runner/dev/private-key',
  webhookSecret: '/ops/github/runner/dev/webhook-secret',
};
const OWN = `  github_app_parameters = {
    apps           = [{ id = "${SEED.appId}", private_key = "${SEED.privateKey}" }]
    webhook_secret = "${SEED.webhookSecret}"
  }`;
const INLINE = '  github_apps = [{ app_id = 1, private_key = "k" }]';
const cases = evaluateCases(multi, { own: OWN, inline: INLINE });

const POOL = {
  id: 'linux',
  labels: ['self-hosted', 'linux'],
  owner: 'acme',
  compute: {
    kind: 'ec2',
    launchTemplateName: 'hangar-linux',
    subnetIds: ['subnet-1'],
    instanceTypes: ['m7i.large'],
  },
};

/** Parameter Store holding the operator's parameters, recording what the functions read. */
function store(values: Record<string, string>): ParameterSource & { reads: string[] } {
  const reads: string[] = [];
  const read = async (name: string) => {
    reads.push(name);
    const value = values[name];
    if (value === undefined) throw new ConfigurationError([`SSM parameter ${name} does not exist`]);
    return value;
  };
  return { reads, readParameter: read, readJson: async (name) => JSON.parse(await read(name)) as unknown };
}

describe('github_app_parameters', () => {
  it('keeps the keys out of Terraform: no parameter, no generated secret, no parameter value read', () => {
    expect(cases.own?.counts).toEqual({ githubApps: 0, webhookSecret: 0, randomSecret: 0 });
    expect(Object.keys(multi.data.aws_ssm_parameter ?? {})).toEqual([]);
    // Only these two parameters of the module's could hold a credential; the third is the pools.
    const holders = Object.entries(multi.resource.aws_ssm_parameter ?? {})
      .filter(([, [block]]) =>
        /var\.github_apps|local\.github_apps_given|local\.webhook_secret/.test(String(block?.value)),
      )
      .map(([name]) => name);
    expect(holders.sort()).toEqual(['github_apps', 'webhook_secret']);
  });

  it('hands the functions the parameters as named, and the runtime reads exactly those (base64 key decoded)', async () => {
    const env = cases.own?.environment ?? {};
    expect(env.HANGAR_GITHUB_APPS_PARAMETER).toBeNull();
    expect(env.HANGAR_WEBHOOK_SECRET_PARAMETER).toBe(SEED.webhookSecret);
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const parameters = store({
      '/hangar/config/pools': JSON.stringify([POOL]),
      [SEED.appId]: '424242',
      [SEED.privateKey]: Buffer.from(pem).toString('base64'),
      [SEED.webhookSecret]: 'whsec',
    });
    const base = {
      HANGAR_TABLE_NAME: 'hangar-events',
      HANGAR_POOLS_PARAMETER: '/hangar/config/pools',
      HANGAR_SCALE_UP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/hangar-scale-up',
      HANGAR_JOB_EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/hangar-job-events',
      HANGAR_RUNNER_ROLE_ID: 'AROAEC2RUNNERROLE001',
      HANGAR_DEPLOYMENT: 'hangar',
      ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== null)),
    };
    const scaleUp = await configure(base, 'scale-up', parameters);
    expect(scaleUp.githubApps).toEqual([{ appId: 424242, privateKey: pem }]);
    const webhook = await configure(base, 'webhook', parameters);
    expect(webhook.webhookSecrets).toEqual(['whsec']);
    expect([...new Set(parameters.reads)].sort()).toEqual(
      ['/hangar/config/pools', SEED.appId, SEED.privateKey, SEED.webhookSecret].sort(),
    );
  });

  it('sets the App variables in every function that calls GitHub, and the webhook secret in the webhook', () => {
    const environment = isObject(multi.locals.handler_environment) ? multi.locals.handler_environment : {};
    const wired = HANDLER_NAMES.filter((name) => {
      const env = environment[name];
      return (
        isObject(env) &&
        env.HANGAR_GITHUB_APPS_PARAMETER === '${local.github_access.HANGAR_GITHUB_APPS_PARAMETER}' &&
        env.HANGAR_GITHUB_APP_PARAMETERS === '${local.github_access.HANGAR_GITHUB_APP_PARAMETERS}'
      );
    });
    expect(wired).toEqual(HANDLER_NAMES.filter((n) => GITHUB_APP_USERS.includes(n) || n === 'webhook'));
    const webhook = environment.webhook;
    expect(isObject(webhook) && webhook.HANGAR_WEBHOOK_SECRET_PARAMETER).toBe(
      '${local.webhook_secret_parameter}',
    );
  });

  it('keeps creating the module’s own parameters with github_apps', () => {
    expect(cases.inline?.counts).toEqual({ githubApps: 1, webhookSecret: 1, randomSecret: 1 });
    expect(cases.inline?.environment).toEqual({
      HANGAR_GITHUB_APPS_PARAMETER: MODULE_PARAMETERS.apps,
      HANGAR_GITHUB_APP_PARAMETERS: null,
      HANGAR_WEBHOOK_SECRET_PARAMETER: MODULE_PARAMETERS.webhookSecret,
    });
  });

  it('refuses both ways at once, neither, and a webhook_secret next to github_app_parameters', () => {
    const errors = refusedCases(multi, {
      both: `${INLINE}\n${OWN}`,
      neither: '',
      secret: `  webhook_secret = "s"\n${OWN}`,
    });
    expect(errors).toContain(
      'github_apps and github_app_parameters are both set: give the App credentials one way',
    );
    expect(errors).toContain(
      'Neither github_apps nor github_app_parameters is set: the functions need a GitHub App',
    );
    expect(errors).toContain('webhook_secret is set with github_app_parameters');
    expect(errors.match(/Resource precondition failed/g)).toHaveLength(3);
  });

  it('refuses no App, a parameter that is neither a name nor an ARN, and a key alias', () => {
    const errors = refusedCases(multi, {
      none: '  github_app_parameters = { apps = [], webhook_secret = "/w" }',
      spaced:
        '  github_app_parameters = { apps = [{ id = "app id", private_key = "/k" }], webhook_secret = "/w" }',
      alias: `  github_app_parameters = {
    apps = [{ id = "/i", private_key = "/k" }], webhook_secret = "/w", kms_key_arn = "alias/github"
  }`,
    });
    expect(errors).toContain('github_app_parameters.apps needs at least one App');
    expect(errors).toContain(
      'each parameter must be an SSM parameter name (name or /path/name) or a parameter ARN',
    );
    expect(errors).toContain('github_app_parameters.kms_key_arn must be a KMS key ARN');
  });
});
