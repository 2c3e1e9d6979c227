import { eventStoreContract } from '@hangar/core/testing/event-store-contract';
import { streamHistoryContract } from '@hangar/core/testing/stream-history-contract';
import { indexLagContract } from '@hangar/core/testing/index-lag-contract';
import { DynamoDbEventStore } from './dynamodb-event-store';
import { localEventStoreTable } from './test-table';

const againstDynamoDbLocal = (pageSize?: number) => async () => {
  const { client, tableName, drop } = await localEventStoreTable();
  return { store: new DynamoDbEventStore({ client, tableName, pageSize }), close: drop };
};

// DynamoDB's own page limit (1 MB) and a small page size, so every Query path pages. The 25
// retrying writers (9-14 s of the suite per run) prove DynamoDB's conditional transactions,
// which do not depend on how reads page: the first run has them; reading a long stream 16
// items at a time is the large-stream case's job in the second.
eventStoreContract('DynamoDbEventStore on DynamoDB Local', againstDynamoDbLocal());
eventStoreContract('DynamoDbEventStore on DynamoDB Local, 16 items per page', againstDynamoDbLocal(16), {
  runElsewhere: {
    'writers-gap-free':
      'conditional-write contention does not depend on the page size; the 1 MB-page run proves it',
  },
});
streamHistoryContract('DynamoDbEventStore on DynamoDB Local, 2 items per page', againstDynamoDbLocal(2));

// The index-lag fault wraps the real adapter, so specs and the local control plane can run
// against DynamoDB Local with GSIs that lag as DynamoDB's may.
indexLagContract('DynamoDbEventStore on DynamoDB Local', againstDynamoDbLocal());
