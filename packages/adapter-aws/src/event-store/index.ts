export { DynamoDbEventStore, type DynamoDbEventStoreOptions } from './dynamodb-event-store';
export { createEventStoreTable } from './table';
export { createEventStoreClient, type EventStoreClientOptions } from './client';
export { countReads, type ReadCounter } from './read-counter';
export { MAX_EVENTS_PER_APPEND, appendTransaction } from './append-transaction';
