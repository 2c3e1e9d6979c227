import type { Block, Json, Module } from './hcl';
import { isObject } from './hcl';
import { attributeUses } from './schema-check';

/**
 * Deprecations of the provider versions we allow, for the types this repository uses. The jsii
 * assemblies the schema checks read do not carry Terraform's `deprecated` flag (only the
 * generator's own notes), so this list is kept by hand from the provider's changelog and
 * upgrade guides; `terraform validate` on a machine with registry access prints the same as
 * warnings. Add an entry when the provider deprecates something of a type the module uses.
 */
export interface Deprecation {
  /** `aws_dynamodb_table` or `data.aws_region`. */
  readonly type: string;
  /** An argument path (`global_secondary_index.hash_key`) or, for `attribute`, the attribute. */
  readonly path: string;
  readonly kind: 'argument' | 'attribute';
  readonly since: string;
  readonly instead: string;
  readonly source: string;
}

export const DEPRECATIONS: readonly Deprecation[] = [
  {
    type: 'data.aws_region',
    path: 'name',
    kind: 'attribute',
    since: '6.0.0',
    instead: 'region',
    source: 'hashicorp/aws v6 upgrade guide (terraform-provider-aws#42131)',
  },
  ...['hash_key', 'range_key'].map((key): Deprecation => ({
    type: 'aws_dynamodb_table',
    path: `global_secondary_index.${key}`,
    kind: 'argument',
    since: '6.28.0',
    instead: 'global_secondary_index.key_schema blocks',
    source: 'terraform-provider-aws#46197 (maintainer comment); registry docs of aws_dynamodb_table',
  })),
  ...['versioning', 'server_side_encryption_configuration', 'lifecycle_rule', 'logging', 'acl', 'policy'].map(
    (key): Deprecation => ({
      type: 'aws_s3_bucket',
      path: key,
      kind: 'argument',
      since: '4.0.0',
      instead: `the aws_s3_bucket_${key === 'lifecycle_rule' ? 'lifecycle_configuration' : key} resource`,
      source: 'hashicorp/aws v4 upgrade guide (S3 bucket refactor)',
    }),
  ),
  {
    type: 'aws_ssm_parameter',
    path: 'overwrite',
    kind: 'argument',
    since: '5.0.0',
    instead: 'nothing (Terraform manages the value)',
    source: 'hashicorp/aws v5 upgrade guide',
  },
];

/** The bodies a path of block names leads to (through `dynamic` blocks too). */
function bodiesAt(body: Block, blocks: readonly string[]): Block[] {
  const [first, ...rest] = blocks;
  if (first === undefined) return [body];
  const list = (value: Json | undefined): Block[] =>
    Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
  const direct = list(body[first]);
  const dynamic = isObject(body.dynamic) ? list(body.dynamic[first]).flatMap((g) => list(g.content)) : [];
  return [...direct, ...dynamic].flatMap((nested) => bodiesAt(nested, rest));
}

/** Uses of deprecated arguments and attributes, each with what to use instead. */
export function deprecatedUses(mod: Module, deprecations = DEPRECATIONS): string[] {
  const found: string[] = [];
  const uses = attributeUses(mod);
  for (const d of deprecations) {
    const data = d.type.startsWith('data.');
    const type = data ? d.type.slice('data.'.length) : d.type;
    const note = `deprecated since ${d.since}, use ${d.instead} (${d.source})`;
    if (d.kind === 'attribute') {
      for (const use of uses)
        if (use.type === type && use.kind === (data ? 'data' : 'resource') && use.attribute === d.path)
          found.push(`${d.type}.${d.path} at ${use.at}: ${note}`);
      continue;
    }
    const segments = d.path.split('.');
    const argument = segments.pop() ?? '';
    for (const [name, bodies] of Object.entries((data ? mod.data : mod.resource)[type] ?? {}))
      for (const body of bodies)
        if (bodiesAt(body, segments).some((b) => argument in b))
          found.push(`${d.type}.${name}: ${d.path} ${note}`);
  }
  return found;
}
