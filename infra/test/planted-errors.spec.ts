import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA, loadModule, type Module } from './support/hcl';
import { deprecatedUses } from './support/deprecations';
import { iamDataProblems, policyStatements } from './support/iam-data-check';
import { loadProviderSchema, SCHEMA_PACKAGES } from './support/provider-schema';
import { blockProblems, referenceProblems, type Schemas } from './support/schema-check';

// The checks of provider-schema.spec.ts and iam-data.spec.ts, run on a copy of multi-runner
// with one error planted at a time: each must be reported, and only it.
const SOURCE = join(INFRA, 'modules', 'multi-runner');
const work = mkdtempSync(join(tmpdir(), 'hangar-planted-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let copies = 0;
/** A copy of multi-runner with `from` replaced by `to` in `file` (which must contain it once). */
async function planted(file: string, from: string, to: string): Promise<Module> {
  const dir = join(work, `copy-${(copies += 1)}`);
  cpSync(SOURCE, dir, { recursive: true });
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.split(from)).toHaveLength(2);
  writeFileSync(join(dir, file), text.replace(from, to));
  return loadModule(dir);
}

const schemas = (): Schemas => ({
  aws: loadProviderSchema(SCHEMA_PACKAGES.awsCeiling),
  random: loadProviderSchema(SCHEMA_PACKAGES.randomCeiling),
});

describe('the checks catch errors planted in a copy of the module', () => {
  it('finds nothing in the unchanged copy', async () => {
    const mod = await planted('lambdas.tf', '  memory_size   =', '  memory_size   =');
    expect([
      ...blockProblems(mod, schemas()),
      ...referenceProblems(mod, schemas()),
      ...deprecatedUses(mod),
      ...(await iamDataProblems(policyStatements(mod))),
    ]).toEqual([]);
  });

  it('reports a misspelt argument name', async () => {
    const mod = await planted('lambdas.tf', '  memory_size   =', '  memory_sise   =');
    expect(blockProblems(mod, schemas())).toEqual([
      'aws_lambda_function.handler: unknown argument memory_sise',
    ]);
  });

  it('reports an argument in the wrong nested block', async () => {
    const mod = await planted(
      'runners-ec2.tf',
      '      volume_type           =',
      '      volume_typ            =',
    );
    expect(blockProblems(mod, schemas())).toEqual([
      'aws_launch_template.runner.block_device_mappings.ebs: unknown argument volume_typ',
    ]);
  });

  it('reports a resource type the provider does not have', async () => {
    const mod = await planted(
      'webhook.tf',
      'resource "aws_lambda_function_url"',
      'resource "aws_lambda_function_urls"',
    );
    expect(blockProblems(mod, schemas())).toEqual(['aws_lambda_function_urls: no such resource type']);
  });

  it('reports a reference to an attribute the resource does not export', async () => {
    const mod = await planted('webhook.tf', '"webhook"].invoke_arn', '"webhook"].invoke_url');
    expect(referenceProblems(mod, schemas())).toEqual([
      'aws_lambda_function has no attribute invoke_url (at .resource.aws_apigatewayv2_integration.webhook[0].integration_uri)',
    ]);
  });

  it('reports a deprecated attribute', async () => {
    const mod = await planted('locals.tf', 'data.aws_region.current.region', 'data.aws_region.current.name');
    expect(deprecatedUses(mod)).toEqual([
      expect.stringMatching(
        /^data\.aws_region\.name at \.locals\.region: deprecated since 6\.0\.0, use region/,
      ),
    ]);
  });

  it('reports a misspelt IAM action', async () => {
    const mod = await planted(
      'iam-lambdas.tf',
      '"sqs:SendMessage", "sqs:GetQueueAttributes"]\n    resources = [aws_sqs_queue.scale_up.arn]',
      '"sqs:SendMesage", "sqs:GetQueueAttributes"]\n    resources = [aws_sqs_queue.scale_up.arn]',
    );
    expect(await iamDataProblems(policyStatements(mod))).toEqual([
      'data.aws_iam_policy_document.scale_up_send/SendScaleUpWork: sqs:SendMesage: no such action',
    ]);
  });

  it('reports a condition key that does not exist', async () => {
    const mod = await planted(
      'iam-launch.tf',
      '"iam:PassedToService"\n      values   = ["ec2.amazonaws.com"]',
      '"iam:PassedToServices"\n      values   = ["ec2.amazonaws.com"]',
    );
    expect(await iamDataProblems(policyStatements(mod))).toEqual([
      'data.aws_iam_policy_document.ec2_launch/PassRunnerInstanceRole: no condition key iam:PassedToServices',
    ]);
  });

  it('reports a condition key the statement’s action does not support', async () => {
    const mod = await planted('iam-launch.tf', '"iam:AWSServiceName"', '"iam:PassedToService"');
    expect(await iamDataProblems(policyStatements(mod))).toEqual([
      'data.aws_iam_policy_document.ec2_launch/CreateSpotServiceLinkedRole: iam:CreateServiceLinkedRole does not support condition key iam:PassedToService',
    ]);
  });
});
