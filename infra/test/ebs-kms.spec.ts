import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, isObject, loadModule, type Block, type Json } from './support/hcl';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const documents = multi.data.aws_iam_policy_document ?? {};
const blocks = (value: Json | undefined): Block[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** A document's statements with how they are generated: always, or once per element of `for_each`. */
function statements(name: string): { forEach?: string; body: Block }[] {
  const body = documents[name]?.[0] ?? {};
  const dynamic = isObject(body.dynamic) ? blocks(body.dynamic.statement) : [];
  return [
    ...blocks(body.statement).map((s) => ({ body: s })),
    ...dynamic.flatMap((g) => blocks(g.content).map((s) => ({ forEach: String(g.for_each), body: s }))),
  ];
}
const conditions = (s: Block) =>
  blocks(s.condition).map((c) => `${String(c.test)} ${String(c.variable)} ${JSON.stringify(c.values)}`);
const launches = (s: Block) =>
  Array.isArray(s.actions) && s.actions.some((a) => a === 'ec2:CreateFleet' || a === 'ec2:RunInstances');

describe('customer-managed EBS key (ebs_kms_key_arn)', () => {
  const launching = Object.keys(documents).filter((name) => statements(name).some((s) => launches(s.body)));

  it('finds the documents that launch instances (scale-up’s ec2_launch)', () => {
    expect(launching).toEqual(['ec2_launch']);
  });

  it.each(['ec2_launch'])(
    '%s lets the launching role use the key through EC2 only, and grant it to EBS only',
    (name) => {
      const keyed = statements(name).filter((s) => s.forEach === '${local.ebs_kms_statements}');
      const byActions = Object.fromEntries(
        keyed.map((s) => [
          ((s.body.actions as string[]) ?? []).join(','),
          { resources: s.body.resources, conditions: conditions(s.body).sort() },
        ]),
      );
      const viaEc2 = 'StringEquals kms:ViaService ["ec2.${local.region}.amazonaws.com"]';
      expect(byActions).toEqual({
        'kms:Decrypt,kms:DescribeKey,kms:GenerateDataKeyWithoutPlaintext,kms:ReEncryptFrom,kms:ReEncryptTo': {
          resources: ['${statement.value}'],
          conditions: [viaEc2],
        },
        'kms:CreateGrant': {
          resources: ['${statement.value}'],
          conditions: ['Bool kms:GrantIsForAWSResource ["true"]', viaEc2],
        },
      });
    },
  );

  it('derives the statements from ebs_kms_key_arn and the keys of block_device_mappings: one set per distinct key, none without', () => {
    expect(multi.locals.ebs_kms_statements).toBe(
      '${distinct(compact(concat([var.ebs_kms_key_arn], flatten([for id, m in module.pools_document.machines : [for v in m.volumes : v.kms_key_id]]))))}',
    );
    // One statement per key and kind: the Sids carry the key's index, so two keys never clash.
    const sids = statements('ec2_launch')
      .filter((s) => s.forEach === '${local.ebs_kms_statements}')
      .map((s) => String(s.body.sid));
    expect(sids.every((sid) => sid.endsWith('${statement.key}'))).toBe(true);
  });

  it('is set by the ghes-hardened example, whose key policy lets the Spot service-linked role use the key', async () => {
    const example = await loadModule(join(INFRA, 'examples', 'ghes-hardened'));
    expect(example.module.hangar?.[0]?.ebs_kms_key_arn).toBe('${aws_kms_key.hangar.arn}');
    const keyPolicy = example.data.aws_iam_policy_document?.hangar_key?.[0];
    const spot = blocks(keyPolicy?.statement).filter((s) =>
      blocks(s.principals).some((p) => JSON.stringify(p.identifiers) === '["${local.spot_service_role}"]'),
    );
    expect(spot.map((s) => s.actions)).toEqual([
      [
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ],
      ['kms:CreateGrant'],
    ]);
    expect(String(example.locals.spot_service_role)).toMatch(
      /:role\/aws-service-role\/spot\.amazonaws\.com\/AWSServiceRoleForEC2Spot$/,
    );
    expect(example.resource.aws_kms_key?.hangar?.[0]?.policy).toBe(
      '${data.aws_iam_policy_document.hangar_key.json}',
    );
  });
});
