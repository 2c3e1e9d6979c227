import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEventStoreClient } from './client';
import { createEventStoreTable } from './table';

let tables = 0;

/**
 * A DynamoDB client for the DynamoDB Local the jest global setup started, and a freshly
 * created, uniquely named event-store table that `drop` deletes. Test helper, not exported.
 */
export async function localEventStoreTable(): Promise<{
  client: DynamoDBClient;
  tableName: string;
  drop(): Promise<void>;
}> {
  const endpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('HANGAR_TEST_DYNAMODB_ENDPOINT is not set: run through `pnpm jest` (global setup)');
  const client = createEventStoreClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const tableName = `events-${process.pid}-${(tables += 1)}-${Math.random().toString(36).slice(2, 8)}`;
  await createEventStoreTable(client, tableName);
  return {
    client,
    tableName,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}
