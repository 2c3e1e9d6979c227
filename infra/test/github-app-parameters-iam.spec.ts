import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, loadModule } from './support/hcl';
import { evaluateCases, REGION } from './support/github-app-inputs';
import { ACCOUNT, evaluate, type IamRequest } from './support/iam-simulation';
import { renderPolicyDocument, type IamPolicy } from './support/policy-documents';

// The Lambdas' and runners' policies with github_app_parameters, rendered from the module's
// documents with the ARNs terraform computed from github-app.tf, evaluated offline with
// @cloud-copilot/iam-simulate.
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));

const arn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
const SHARED_KEY = 'arn:aws:ssm:us-east-1:210987654321:parameter/platform/github/private-key';
const APP_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-0000-4000-8000-00000000a001`;
const MODULE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-0000-4000-8000-00000000b002`;
const { own } = evaluateCases(multi, {
  own: `  github_app_parameters = {
    apps = [
      { id = "/ops/github/app-id", private_key = "/ops/github/private-key" },
      { id = "/ops/github/second-app-id", private_key = "${SHARED_KEY}" },
    ]
    webhook_secret = "/ops/github/webhook-secret"
    kms_key_arn    = "${APP_KEY}"
  }`,
});
if (own === undefined) throw new Error('no evaluation');

const VALUES = {
  'local.partition': 'aws',
  'local.region': REGION,
  'local.account_id': ACCOUNT,
  'var.prefix': 'hangar',
  'var.runner_secret_path': '/hangar/runners',
  'aws_s3_bucket.binaries.arn': 'arn:aws:s3:::hangar-binaries',
  'aws_cloudwatch_log_group.runner.arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/hangar/hangar/runners`,
  // The module's own key (ssm_kms_key_arn) protects runner secrets, not the operator's parameters.
  'local.ssm_kms_statements': [MODULE_KEY],
  'local.s3_kms_statements': [],
  'local.github_app_external': own.external,
  'local.github_app_parameter_arns': own.parameterArns,
  'local.github_app_key_arns': own.keyArns,
  'local.github_webhook_secret_arns': own.webhookSecretArns,
  'local.github_app_kms_key_arns': own.kmsKeyArns,
};
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};
const APP_PARAMETERS = [
  arn('/ops/github/app-id'),
  arn('/ops/github/private-key'),
  arn('/ops/github/second-app-id'),
  SHARED_KEY,
];
const WEBHOOK_SECRET = arn('/ops/github/webhook-secret');

const scaleUp = (action: string, resource: string, context: Record<string, string> = {}): IamRequest => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/hangar-scale-up/hangar-scale-up`,
  action,
  resource,
  context,
  ...(action.startsWith('kms:') ? { resourcePolicy: KEY_POLICY } : {}),
});
const decide = async (policy: IamPolicy, request: IamRequest) =>
  (await evaluate({ policy }, request)).decision;

describe('the functions’ access with github_app_parameters', () => {
  const apps = renderPolicyDocument(multi, 'github_apps_read', VALUES);
  const webhook = renderPolicyDocument(multi, 'webhook_secret_read', VALUES);

  it('names exactly the App id and key parameters, and the webhook secret parameter, in their ARNs', () => {
    const reads = (policy: IamPolicy) =>
      policy.Statement.filter((s) => s.Action.includes('ssm:GetParameter')).flatMap((s) => s.Resource);
    expect(reads(apps).sort()).toEqual([...APP_PARAMETERS].sort());
    expect(reads(webhook)).toEqual([WEBHOOK_SECRET]);
  });

  it('lets a function read those parameters and nothing next to them', async () => {
    for (const resource of APP_PARAMETERS)
      expect([resource, await decide(apps, scaleUp('ssm:GetParameter', resource))]).toEqual([
        resource,
        'Allowed',
      ]);
    for (const resource of [
      arn('/ops/github/client-secret'),
      arn('/ops/github'),
      arn('/hangar/config/github-apps'),
      WEBHOOK_SECRET,
    ])
      expect([resource, await decide(apps, scaleUp('ssm:GetParameter', resource))]).toEqual([
        resource,
        'ImplicitlyDenied',
      ]);
    expect(await decide(apps, scaleUp('ssm:GetParametersByPath', arn('/ops/github')))).toBe(
      'ImplicitlyDenied',
    );
    expect(await decide(webhook, scaleUp('ssm:GetParameter', WEBHOOK_SECRET))).toBe('Allowed');
    expect(await decide(webhook, scaleUp('ssm:GetParameter', APP_PARAMETERS[1] ?? ''))).toBe(
      'ImplicitlyDenied',
    );
  });

  // iam-simulate ignores kms:EncryptionContext:<key> (see runner-secrets-iam.spec.ts), so the
  // PARAMETER_ARN condition is compared with the parameters and the rest is evaluated.
  it('decrypts with the operator’s key only through SSM and only for those parameters, never with the module’s key', async () => {
    const decrypt = apps.Statement.filter((s) => s.Action.includes('kms:Decrypt'));
    expect(decrypt.map((s) => s.Resource)).toEqual([[APP_KEY]]);
    const [statement] = decrypt;
    const { StringEquals, ...rest } = statement?.Condition ?? {};
    expect(StringEquals?.['kms:EncryptionContext:PARAMETER_ARN']?.slice().sort()).toEqual(
      [...APP_PARAMETERS].sort(),
    );
    const evaluated: IamPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          ...statement!,
          Condition: { ...rest, StringEquals: { 'kms:ViaService': StringEquals?.['kms:ViaService'] ?? [] } },
        },
      ],
    };
    const via = { 'kms:ViaService': `ssm.${REGION}.amazonaws.com` };
    expect(await decide(evaluated, scaleUp('kms:Decrypt', APP_KEY, via))).toBe('Allowed');
    expect(await decide(evaluated, scaleUp('kms:Decrypt', APP_KEY))).toBe('ImplicitlyDenied');
    expect(await decide(apps, scaleUp('kms:Decrypt', MODULE_KEY, via))).toBe('ImplicitlyDenied');
    const secretDecrypt = webhook.Statement.find((s) => s.Action.includes('kms:Decrypt'));
    expect(secretDecrypt?.Condition?.StringEquals?.['kms:EncryptionContext:PARAMETER_ARN']).toEqual([
      WEBHOOK_SECRET,
    ]);
  });
});

describe('the runners’ access with github_app_parameters', () => {
  const runner = renderPolicyDocument(multi, 'runner', VALUES);
  /** AmazonSSMManagedInstanceCore's Parameter Store part (enable_ssm_session_manager). */
  const sessionManager: IamPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: ['*'] }],
  };

  it('denies every operator parameter to a runner, even with Session Manager’s policy attached', async () => {
    const request = (action: string, resource: string): IamRequest => ({
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/hangar-runner/i-0aaaaaaaaaaaaaaa1`,
      action,
      resource,
      context: { 'aws:userid': 'AROAEC2RUNNERROLE001:i-0aaaaaaaaaaaaaaa1' },
    });
    for (const resource of [...APP_PARAMETERS, WEBHOOK_SECRET])
      for (const action of ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParameterHistory']) {
        const outcome = await evaluate({ runner, sessionManager }, request(action, resource));
        expect([action, resource, outcome.decision]).toEqual([action, resource, 'ExplicitlyDenied']);
      }
    const elsewhere = await evaluate(
      { runner, sessionManager },
      request('ssm:GetParameter', arn('/ops/ami')),
    );
    expect(elsewhere.decision).toBe('Allowed');
  });
});
