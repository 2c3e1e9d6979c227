import { describe, expect, it } from '@jest/globals';
import { DynamoDbCallCounter, dynamoDbTarget } from './dynamodb-breakdown';

const S = (value: string) => ({ S: value });

describe('the demo DynamoDB breakdown', () => {
  it('names what each call touched: stream kind, index, heads, snapshot', () => {
    expect(dynamoDbTarget('Query', { ExpressionAttributeValues: { ':pk': S('job-42') } })).toBe('job');
    expect(
      dynamoDbTarget('Query', {
        ScanIndexForward: false,
        ExpressionAttributeValues: { ':pk': S('pool-linux') },
      }),
    ).toBe('pool(backward)');
    expect(
      dynamoDbTarget('Query', {
        IndexName: 'lookup',
        ExpressionAttributeValues: { ':pk': S('lk#runner#i-1') },
      }),
    ).toBe('index:lookup:runner');
    expect(
      dynamoDbTarget('TransactWriteItems', {
        TransactItems: [
          { Update: { Key: { pk: S('runner-j1-1'), sk: S('head') } } },
          { Put: { Item: { pk: S('job-1'), sk: S('e#000000000002') } } },
        ],
      }),
    ).toBe('job+runner');
    expect(
      dynamoDbTarget('BatchGetItem', {
        RequestItems: { t: { Keys: [{ pk: S('runner-a') }, { pk: S('runner-b') }] } },
      }),
    ).toBe('heads:runner');
    expect(dynamoDbTarget('PutItem', { Item: { pk: S('pool-linux'), sk: S('snapshot') } })).toBe(
      'pool(snapshot)',
    );
  });

  it('counts DynamoDB calls by handler and leaves other services out', () => {
    const counter = new DynamoDbCallCounter();
    const read = { ExpressionAttributeValues: { ':pk': S('runner-r1') } };
    counter.count('job-events', 'dynamodb.Query', read);
    counter.count('job-events', 'dynamodb.Query', read);
    counter.count(undefined, 'dynamodb.Query', read);
    counter.count('job-events', 'sqs.SendMessage', {});
    expect(counter.snapshot()).toEqual({
      'job-events': { 'Query runner': 2 },
      outside: { 'Query runner': 1 },
    });
  });
});
