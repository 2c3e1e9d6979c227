export { DynamoDbEventStore, type DynamoDbEventStoreOptions } from './dynamodb-event-store';
export { createEventStoreTable } from './table';
export { MAX_EVENTS_PER_APPEND } from './append-transaction';
