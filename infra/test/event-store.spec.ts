import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, REPO, loadModule, only, type Block } from './support/hcl';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const table = only(multi.resource.aws_dynamodb_table?.events, 'aws_dynamodb_table.events');
// The adapter is not a dependency of infra; its table layout is read as text (table.ts).
const adapter = readFileSync(join(REPO, 'packages', 'adapter-aws', 'src', 'event-store', 'table.ts'), 'utf8');

/** The HASH and RANGE attribute of a GSI's key_schema blocks. */
function keysOf(gsi: Block): { hash: string; range: string } {
  const schema = gsi.key_schema as Block[];
  const named = (type: string) => String(schema.find((k) => k.key_type === type)?.attribute_name);
  return { hash: named('HASH'), range: named('RANGE') };
}

describe('event store table', () => {
  it('declares the keys and TTL attribute of the adapter', () => {
    expect([table.hash_key, table.range_key]).toEqual(['pk', 'sk']);
    expect(adapter).toContain("KEY = { partition: 'pk', sort: 'sk' }");
    expect(adapter).toContain(`TTL_ATTRIBUTE = '${String((table.ttl as Block[])[0]?.attribute_name)}'`);
  });

  it('declares exactly the global secondary indexes of the adapter, with the same keys', () => {
    const ours = (table.global_secondary_index as Block[])
      .map(
        (gsi) =>
          `${String(gsi.name)}:${keysOf(gsi).hash}:${keysOf(gsi).range}:${String(gsi.projection_type)}`,
      )
      .sort();
    const theirs = [...adapter.matchAll(/\{ name: '([^']+)', partition: '([^']+)', sort: '([^']+)' \}/g)]
      .map((m) => `${m[1]}:${m[2]}:${m[3]}:ALL`)
      .sort();
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });

  it('defines every key attribute as a string, and no attribute that is not a key', () => {
    const keys = new Set([
      'pk',
      'sk',
      ...(table.global_secondary_index as Block[]).flatMap((g) => [keysOf(g).hash, keysOf(g).range]),
    ]);
    const attributes = (table.attribute as Block[]).map((a) => `${String(a.name)}:${String(a.type)}`).sort();
    expect(attributes).toEqual([...keys].sort().map((k) => `${k}:S`));
  });

  it('turns on point-in-time recovery and on-demand billing', () => {
    expect((table.point_in_time_recovery as Block[])[0]?.enabled).toBe(true);
    expect(table.billing_mode).toBe('PAY_PER_REQUEST');
  });
});
