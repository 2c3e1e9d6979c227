import { eventStoreContract } from '@hangar/core/testing/event-store-contract';
import { streamHistoryContract } from '@hangar/core/testing/stream-history-contract';
import { DynamoDbEventStore } from './dynamodb-event-store';
import { localEventStoreTable } from './test-table';

const againstDynamoDbLocal = (pageSize?: number) => async () => {
  const { client, tableName, drop } = await localEventStoreTable();
  return { store: new DynamoDbEventStore({ client, tableName, pageSize }), close: drop };
};

// DynamoDB's own page limit (1 MB) and a small page size, so every Query path pages.
eventStoreContract('DynamoDbEventStore on DynamoDB Local', againstDynamoDbLocal());
eventStoreContract('DynamoDbEventStore on DynamoDB Local, 16 items per page', againstDynamoDbLocal(16));
streamHistoryContract('DynamoDbEventStore on DynamoDB Local, 2 items per page', againstDynamoDbLocal(2));
