import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DependencyError, VersionConflictError } from '@hangar/core';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbEventStore } from './dynamodb-event-store';

// Error shapes only: what each SDK failure becomes once it leaves the adapter.
const client = new DynamoDBClient({
  region: 'local',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const dynamo = mockClient(client);
const store = new DynamoDbEventStore({ client, tableName: 'events' });
const metadata = { recordedAt: '2026-01-01T00:00:00.000Z' };
const one = [{ type: 'Tested', data: {} }];

const serviceError = (name: string, status: number, fault: 'client' | 'server') =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

afterEach(() => {
  dynamo.reset();
});

describe('DynamoDB error translation', () => {
  it('turns throttling on a read into a retryable DependencyError naming the operation', async () => {
    dynamo.on(QueryCommand).rejects(
      new ProvisionedThroughputExceededException({
        message: 'slow down',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const error = await store.readStream('s').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'dynamodb', operation: 'readStream', retryable: true });
  });

  it('turns a 5xx into a retryable DependencyError', async () => {
    dynamo.on(GetItemCommand).rejects(serviceError('InternalServerError', 500, 'server'));
    await expect(store.loadSnapshot('s')).rejects.toMatchObject({
      operation: 'loadSnapshot',
      retryable: true,
    });
  });

  it('turns a validation error into a non-retryable DependencyError', async () => {
    dynamo.on(QueryCommand).rejects(serviceError('ValidationException', 400, 'client'));
    await expect(store.listOpen('runner')).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
    });
  });

  it('turns a network failure (no response) into a retryable DependencyError', async () => {
    dynamo
      .on(QueryCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(store.findByLookupKey('runner', 'i-1')).rejects.toMatchObject({ retryable: true });
  });

  it('turns a failed head condition into a VersionConflictError carrying the actual version', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed', Item: { version: { N: '7' } } },
          { Code: 'None' },
        ],
      }),
    );
    const error = await store.append('s', 3, one, { metadata }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 3, actualVersion: 7 });
  });

  it('turns a transaction conflict with another writer into a VersionConflictError of unknown version', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(store.append('s', 1, one, { metadata })).rejects.toMatchObject({
      name: 'VersionConflictError',
      actualVersion: null,
    });
  });

  it('turns a throttled transaction into a retryable DependencyError, not a conflict', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('ThrottlingError', 'None'));
    await expect(store.append('s', 1, one, { metadata })).rejects.toMatchObject({
      name: 'DependencyError',
      operation: 'append',
      retryable: true,
    });
  });

  it('turns a transaction cancelled by validation into a non-retryable DependencyError', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('None', 'ValidationError'));
    await expect(store.append('s', 1, one, { metadata })).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
    });
  });

  it('treats a refused older snapshot as done, and other snapshot failures as errors', async () => {
    dynamo
      .on(PutItemCommand)
      .rejectsOnce(serviceError('ConditionalCheckFailedException', 400, 'client'))
      .rejects(serviceError('ThrottlingException', 400, 'client'));
    await expect(store.saveSnapshot('s', 1, {})).resolves.toBeUndefined();
    await expect(store.saveSnapshot('s', 2, {})).rejects.toMatchObject({
      operation: 'saveSnapshot',
      retryable: true,
    });
  });

  it('reports a failed expiry stamp to the hook but keeps the committed append a success', async () => {
    const failures: [string, unknown][] = [];
    const hooked = new DynamoDbEventStore({
      client,
      tableName: 'events',
      onExpiryFailure: (streamId, error) => failures.push([streamId, error]),
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(QueryCommand).rejects(serviceError('ThrottlingException', 400, 'client'));
    await expect(
      hooked.append('s', 0, one, { metadata, expiresAt: '2026-02-01T00:00:00.000Z' }),
    ).resolves.toEqual({ version: 1 });
    expect(failures).toEqual([
      ['s', expect.objectContaining({ operation: 'expireStream', retryable: true })],
    ]);
  });
});
