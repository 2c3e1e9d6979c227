import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What a client read, counted from the responses (the way DynamoDB bills reads: per item). */
export interface ReadCounter {
  queryPages: number;
  itemsQueried: number;
  itemsGot: number;
  reset(): void;
}

/**
 * Counts Query pages and items, and GetItem hits, on every call the client makes. Used by
 * the read-cost test and benchmark to show that a snapshot bounds what a load reads.
 */
export function countReads(client: DynamoDBClient): ReadCounter {
  const counter: ReadCounter = {
    queryPages: 0,
    itemsQueried: 0,
    itemsGot: 0,
    reset() {
      counter.queryPages = 0;
      counter.itemsQueried = 0;
      counter.itemsGot = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      if (context.commandName === 'QueryCommand') {
        counter.queryPages += 1;
        counter.itemsQueried += output.ScannedCount ?? 0;
      }
      if (context.commandName === 'GetItemCommand' && output.Item) counter.itemsGot += 1;
      return result;
    },
    { step: 'initialize', name: 'hangarCountReads' },
  );
  return counter;
}
