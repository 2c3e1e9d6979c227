import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { SECRET_PRINCIPAL_TAG, secretPrincipal } from '@hangar/adapter-aws';
import type { SecretReader } from '@hangar/core';
import { INFRA, loadModule } from './support/hcl';
import { ACCOUNT, evaluate, type IamRequest } from './support/iam-simulation';
import { renderPolicyDocument, type IamPolicy } from './support/policy-documents';

// The runner roles' policies exactly as the module renders them (references resolved to test
// values), evaluated offline with @cloud-copilot/iam-simulate: a job on runner A must reach its
// own secret only, on EC2 (instance profile) and on Fargate (task role) alike.
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const REGION = 'us-east-1';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const VALUES = {
  'local.partition': 'aws',
  'local.region': REGION,
  'local.account_id': ACCOUNT,
  'var.prefix': 'hangar',
  'var.runner_secret_path': '/hangar/runners',
  'aws_s3_bucket.binaries.arn': 'arn:aws:s3:::hangar-binaries',
  'aws_cloudwatch_log_group.runner.arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/hangar/hangar/runners`,
  'local.ssm_kms_statements': [KEY_ARN],
  'local.s3_kms_statements': [],
  // github_apps: no App parameters of the operator's to deny (github-app-parameters.spec.ts).
  'local.github_app_parameter_arns': {},
};
const ROLE_IDS = { ec2: 'AROAEC2RUNNERROLE001', fargate: 'AROAFARGATETASKROLE1' };

/** AmazonSSMManagedInstanceCore v2 (AWS managed policy reference): its Parameter Store part. */
const SESSION_MANAGER_CORE: IamPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: ['*'] }],
};

/** KMS's default key policy: the account's IAM policies decide who may use the key. */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

interface Machine {
  readonly principal: string;
  /** aws:userid of its calls: `<role unique id>:<session name>` (IAM policy variables reference). */
  readonly userId: string;
  readonly reader: SecretReader;
}

/** An instance profile's session is named after the instance id. */
const instance = (id: string): Machine => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/hangar-runner/${id}`,
  userId: `${ROLE_IDS.ec2}:${id}`,
  reader: { compute: 'ec2', instanceId: id as SecretReader['instanceId'] },
});
/** An ECS task role's session is named after the task id. */
const task = (id: string): Machine => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/hangar-runner-task/${id}`,
  userId: `${ROLE_IDS.fargate}:${id}`,
  reader: {
    compute: 'fargate',
    instanceId: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/hangar-runners/${id}` as SecretReader['instanceId'],
  },
});

/** IAM's StringLike: `*` matches any run of characters, `?` any one. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

const parameterArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
const TAG_KEY = `aws:ResourceTag/${SECRET_PRINCIPAL_TAG}`;

/** A secret as scale-up stores it: tagged by the adapter's own function for its machine. */
function secretOf(machine: Machine, name: string) {
  return { arn: parameterArn(`/hangar/runners/${name}`), tag: secretPrincipal(ROLE_IDS, machine.reader) };
}

function call(
  machine: Machine,
  action: string,
  secret: { arn: string; tag: string | null },
  extra: Record<string, string> = {},
): IamRequest {
  return {
    principal: machine.principal,
    action,
    resource: secret.arn,
    context: { 'aws:userid': machine.userId, ...(secret.tag ? { [TAG_KEY]: secret.tag } : {}), ...extra },
  };
}

/** The inline policy document attached to a role by aws_iam_role_policy. */
function inlineDocumentOf(role: string): string {
  const policies = Object.values(multi.resource.aws_iam_role_policy ?? {}).flat();
  const attached = policies.filter((p) =>
    new RegExp(`^\\$\\{aws_iam_role\\.${role}(\\[0\\])?\\.id\\}$`).test(String(p.role)),
  );
  expect(attached).toHaveLength(1);
  const doc = /^\$\{data\.aws_iam_policy_document\.([a-z0-9_]+)\.json\}$/.exec(
    String(attached[0]?.policy),
  )?.[1];
  if (!doc) throw new Error(`role ${role}: inline policy is not a policy document`);
  return doc;
}

const roles = [
  { role: 'runner', a: instance('i-0aaaaaaaaaaaaaaa1'), b: instance('i-0bbbbbbbbbbbbbbb2') },
  {
    role: 'runner_task',
    a: task('0a1b2c3d4e5f60718293a4b5c6d7e8f9'),
    b: task('f9e8d7c6b5a4938271605f4e3d2c1b0a'),
  },
];

describe.each(roles)('runner secrets under the $role role', ({ role, a, b }) => {
  const policy = renderPolicyDocument(multi, inlineDocumentOf(role), VALUES);
  const own = secretOf(a, 'j101-1.0123456789abcdef0123456789abcdef');
  const others = secretOf(b, 'j102-1.fedcba9876543210fedcba9876543210');
  const decide = async (request: IamRequest, extra: Record<string, IamPolicy> = {}) =>
    (await evaluate({ inline: policy, ...extra }, request)).decision;

  it('lets runner A read and delete its own secret, evaluating the principal tag', async () => {
    for (const action of ['ssm:GetParameter', 'ssm:DeleteParameter']) {
      const outcome = await evaluate({ inline: policy }, call(a, action, own));
      expect(outcome).toEqual({ decision: 'Allowed', ignored: [] });
    }
  });

  it('denies runner A the secret of runner B: same path, another principal tag', async () => {
    for (const action of [
      'ssm:GetParameter',
      'ssm:DeleteParameter',
      'ssm:GetParameters',
      'ssm:GetParameterHistory',
      'ssm:DeleteParameters',
    ])
      expect([action, await decide(call(a, action, others))]).toEqual([action, 'ExplicitlyDenied']);
  });

  it('denies a secret without a principal tag', async () => {
    const untagged = {
      arn: parameterArn('/hangar/runners/j103-1.00112233445566778899aabbccddeeff'),
      tag: null,
    };
    expect(await decide(call(a, 'ssm:GetParameter', untagged))).toBe('ExplicitlyDenied');
    expect(await decide(call(a, 'ssm:DeleteParameter', untagged))).toBe('ExplicitlyDenied');
  });

  it('denies re-binding B’s secret to A, overwriting it, or planting one', async () => {
    const retag = {
      [`aws:RequestTag/${SECRET_PRINCIPAL_TAG}`]: a.userId,
      'aws:TagKeys': SECRET_PRINCIPAL_TAG,
    };
    for (const action of [
      'ssm:AddTagsToResource',
      'ssm:RemoveTagsFromResource',
      'ssm:PutParameter',
      'ssm:LabelParameterVersion',
    ])
      expect([action, await decide(call(a, action, others, retag))]).toEqual([action, 'ExplicitlyDenied']);
    const planted = {
      arn: parameterArn('/hangar/runners/j104-1.99999999999999999999999999999999'),
      tag: null,
    };
    expect(await decide(call(a, 'ssm:PutParameter', planted, retag))).toBe('ExplicitlyDenied');
    expect(await decide(call(a, 'ssm:AddTagsToResource', own, retag))).toBe('ExplicitlyDenied');
  });

  it('denies listing the runner path (the names of other runners’ secrets)', async () => {
    const path = { arn: parameterArn('/hangar/runners'), tag: null };
    expect(await decide(call(a, 'ssm:GetParametersByPath', path))).toBe('ExplicitlyDenied');
  });

  it('keeps B’s secret and Hangar’s App keys out of reach even with Session Manager’s managed policy attached', async () => {
    const extra = { sessionManager: SESSION_MANAGER_CORE };
    expect(await decide(call(a, 'ssm:GetParameter', others), extra)).toBe('ExplicitlyDenied');
    expect(await decide(call(a, 'ssm:GetParameters', others), extra)).toBe('ExplicitlyDenied');
    const appKeys = { arn: parameterArn('/hangar/config/github-apps'), tag: null };
    expect(await decide(call(a, 'ssm:GetParameter', appKeys), extra)).toBe('ExplicitlyDenied');
    expect(await decide(call(a, 'ssm:GetParameter', own), extra)).toBe('Allowed');
  });

  // iam-simulate ignores kms:EncryptionContext:<key> context keys (it matches variable keys at a
  // "/" only), so the PARAMETER_ARN condition is checked against the ARN pattern here and the
  // rest of the statement (key, action, kms:ViaService) is evaluated without it.
  it('decrypts with the customer key only through SSM, and only runner secrets by their encryption context', async () => {
    const decrypt = policy.Statement.filter(
      (s) => s.Action.includes('kms:Decrypt') && s.Resource.includes(KEY_ARN),
    );
    expect(decrypt).toHaveLength(1);
    const [statement] = decrypt;
    const { StringLike, ...rest } = statement?.Condition ?? {};
    const [pattern] = StringLike?.['kms:EncryptionContext:PARAMETER_ARN'] ?? [];
    expect(globMatches(pattern ?? '', own.arn)).toBe(true);
    expect(globMatches(pattern ?? '', parameterArn('/hangar/config/github-apps'))).toBe(false);
    const evaluated: IamPolicy = { Version: '2012-10-17', Statement: [{ ...statement!, Condition: rest }] };
    const key = { arn: KEY_ARN, tag: null };
    const decideKms = async (extra: Record<string, string>) =>
      (
        await evaluate(
          { evaluated },
          { ...call(a, 'kms:Decrypt', key, extra), resourcePolicy: DEFAULT_KEY_POLICY },
        )
      ).decision;
    expect(await decideKms({ 'kms:ViaService': `ssm.${REGION}.amazonaws.com` })).toBe('Allowed');
    expect(await decideKms({ 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(await decideKms({})).toBe('ImplicitlyDenied');
  });
});

describe('the runner secret policy evaluation', () => {
  it('compares the tag the SSM adapter writes with aws:userid', () => {
    const policy = renderPolicyDocument(multi, 'runner_secrets', VALUES);
    const read = policy.Statement.find((s) => s.Sid === 'ReadAndDeleteOwnJitConfig');
    expect(read?.Condition).toEqual({ StringEquals: { [TAG_KEY]: ['${aws:userid}'] } });
  });

  it('can fail: without the tag condition and the denies, runner A would read B’s secret', async () => {
    const policy = renderPolicyDocument(multi, 'runner_secrets', VALUES);
    const weakened: IamPolicy = {
      Version: '2012-10-17',
      Statement: policy.Statement.filter((s) => s.Effect === 'Allow').map(({ Condition: _c, ...s }) => s),
    };
    const [a, b] = [instance('i-0aaaaaaaaaaaaaaa1'), instance('i-0bbbbbbbbbbbbbbb2')];
    const others = secretOf(b, 'j102-1.fedcba9876543210fedcba9876543210');
    expect((await evaluate({ weakened }, call(a, 'ssm:GetParameter', others))).decision).toBe('Allowed');
  });

  it('attaches to the runner roles only the managed policies it evaluates: operator extras and Session Manager', () => {
    const attachments = Object.entries(multi.resource.aws_iam_role_policy_attachment ?? {}).map(
      ([name, [block]]) => [name, String(block?.role), String(block?.policy_arn)],
    );
    const toRunners = attachments.filter(([, roleRef]) =>
      /aws_iam_role\.runner(_task)?[.[]/.test(roleRef ?? ''),
    );
    expect(toRunners).toEqual([
      ['runner_extra', '${aws_iam_role.runner.name}', '${each.value}'],
      [
        'runner_session_manager',
        '${aws_iam_role.runner.name}',
        expect.stringContaining('AmazonSSMManagedInstanceCore'),
      ],
      ['runner_task_extra', '${aws_iam_role.runner_task[0].name}', '${each.value}'],
    ]);
  });
});
