import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbEventStore } from './dynamodb-event-store';
import { eventSortKey } from './table';

// Response shapes DynamoDB Local never produces (throttled keys): how the adapter answers them.
const client = new DynamoDBClient({
  region: 'local',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const dynamo = mockClient(client);
const store = new DynamoDbEventStore({ client, tableName: 'events' });
const key = (id: string) => ({ pk: { S: id }, sk: { S: 'head' } });
const headItem = (id: string) => ({
  ...key(id),
  version: { N: '1' },
  streamType: { S: 'runner' },
  open: { BOOL: true },
  group: { S: 'linux' },
  lookupKey: { NULL: true },
  alternateKey: { NULL: true },
  view: { M: {} },
});

afterEach(() => {
  dynamo.reset();
});

describe('DynamoDbEventStore batched key reads, unprocessed keys', () => {
  it('readHeads asks again for the keys DynamoDB left unprocessed and returns every head', async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { events: [headItem('runner-a')] },
        UnprocessedKeys: { events: { Keys: [key('runner-b')], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { events: [headItem('runner-b')] } });
    const heads = await store.readHeads(['runner-a', 'runner-b']);
    expect(heads.map((head) => head.streamId)).toEqual(['runner-a', 'runner-b']);
    const second = dynamo.commandCalls(BatchGetItemCommand)[1]?.args[0].input;
    expect(second?.RequestItems?.events?.Keys).toEqual([key('runner-b')]);
    expect(second?.RequestItems?.events?.ConsistentRead).toBe(true);
  });

  it('gives up with a retryable DependencyError when keys stay unprocessed', async () => {
    dynamo.on(BatchGetItemCommand).resolves({
      Responses: { events: [] },
      UnprocessedKeys: { events: { Keys: [key('runner-a')] } },
    });
    await expect(store.readHeads(['runner-a'])).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      operation: 'readHeads',
    });
  });

  it('readEventsUpTo asks again for unprocessed event keys and returns every event in order', async () => {
    const event = (version: number) => ({
      pk: { S: 'job-1' },
      sk: { S: eventSortKey(version) },
      version: { N: String(version) },
      type: { S: 'Tested' },
    });
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { events: [event(2)] },
        UnprocessedKeys: { events: { Keys: [{ pk: { S: 'job-1' }, sk: { S: eventSortKey(1) } }] } },
      })
      .resolvesOnce({ Responses: { events: [event(1)] } });
    const read = await store.readEventsUpTo([{ streamId: 'job-1', version: 2 }]);
    expect(read.get('job-1')?.map((recorded) => recorded.version)).toEqual([1, 2]);
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(2);
  });
});
