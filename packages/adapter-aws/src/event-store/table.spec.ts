import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreTable } from './table';
import { localEventStoreTable } from './test-table';

describe('createEventStoreTable on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof localEventStoreTable>>;
  beforeAll(async () => {
    table = await localEventStoreTable();
  });
  afterAll(async () => table.drop());

  it('creates the key schema, the three sparse GSIs and TTL on `ttl` that the Terraform module mirrors', async () => {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => [
      index.IndexName,
      index.KeySchema?.map((key) => key.AttributeName),
      index.Projection?.ProjectionType,
    ]);
    expect(indexes.sort()).toEqual([
      ['alternate', ['gsi3pk', 'sk'], 'ALL'],
      ['lookup', ['gsi2pk', 'sk'], 'ALL'],
      ['open', ['gsi1pk', 'gsi1sk'], 'ALL'],
    ]);
    const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
  });

  it('leaves an existing table as it is when called again (a restarted local control plane)', async () => {
    await expect(createEventStoreTable(table.client, table.tableName)).resolves.toBeUndefined();
  });
});
