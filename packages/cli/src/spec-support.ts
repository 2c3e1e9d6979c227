// Spec helpers: tables on the DynamoDB Local of the jest run, and `hangar` run in process.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createEventStoreClient, createEventStoreTable, DynamoDbEventStore } from '@hangar/adapter-aws';
import { runCli } from './cli';

const endpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT ?? '';
const client = createEventStoreClient({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const tables: string[] = [];

export async function freshTable(): Promise<{ tableName: string; store: DynamoDbEventStore }> {
  const tableName = `cli-${process.pid}-${tables.length}-${Math.random().toString(36).slice(2, 8)}`;
  tables.push(tableName);
  await createEventStoreTable(client, tableName);
  return { tableName, store: new DynamoDbEventStore({ client, tableName }) };
}

/** Runs `hangar` in process against a table of the jest run's DynamoDB Local. */
export async function hangar(args: readonly string[], tableName: string, isTty = false) {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--table', tableName, '--endpoint', endpoint], {
    out: (text) => (out += `${text}\n`),
    err: (text) => (err += `${text}\n`),
    isTty,
    env: {},
    now: () => '2026-01-01T00:00:00.000Z',
  });
  return { code, out, err };
}

export async function dropTables(): Promise<void> {
  for (const TableName of tables.splice(0)) await client.send(new DeleteTableCommand({ TableName }));
}
