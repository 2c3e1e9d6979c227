// Loads whole streams into the table as `DynamoDbEventStore.append` would store them, without
// its transactions. DynamoDB Local runs a TransactWriteItems under a table-wide lock: sixteen
// appends at once under load time out waiting for it ("will succeed in actual DynamoDB"),
// and writing a day of 20,000 runners took 31 minutes. The items are the adapter's own
// (`appendTransaction`): the events as BatchWriteItem puts, 25 a call, the head as a plain
// UpdateItem — the same items, not atomic, which a bench loading a fresh table does not need.
import {
  BatchWriteItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type Update,
} from '@aws-sdk/client-dynamodb';
import { appendTransaction } from '@hangar/adapter-aws';
import type { AppendOptions } from '@hangar/core';

type Item = Record<string, AttributeValue>;

const BATCH = 25;
const ATTEMPTS = 8;

export class BulkWriter {
  private pending: Item[] = [];

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** A new stream with all its events and its head (its events may still be buffered: `flush` at the end). */
  async stream(
    streamId: string,
    events: readonly { type: string; data: unknown }[],
    options: AppendOptions,
  ): Promise<void> {
    const items = appendTransaction(this.tableName, streamId, 0, events, options);
    for (const item of items) if (item.Put?.Item) this.pending.push(item.Put.Item);
    while (this.pending.length >= BATCH) await this.write(this.pending.splice(0, BATCH));
    const head = items.find((item) => item.Update)?.Update;
    if (head) await this.update(head);
  }

  /** Writes what is still buffered. */
  async flush(): Promise<void> {
    while (this.pending.length > 0) await this.write(this.pending.splice(0, BATCH));
  }

  private async write(items: Item[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      const answer = await retrying(attempt, () =>
        this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } })),
      );
      if (answer) requests = (answer.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }

  private async update(head: Update): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new UpdateItemCommand(head));
        return;
      } catch (error) {
        // A retried update whose first try was written after all finds its own head.
        if (attempt > 1 && (error as { name?: string }).name === 'ConditionalCheckFailedException') return;
        if (attempt === ATTEMPTS || !serverSide(error)) throw error;
        await pause(attempt);
      }
    }
  }
}

async function retrying<T>(attempt: number, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (attempt === ATTEMPTS || !serverSide(error)) throw error;
    await pause(attempt);
    return undefined;
  }
}

/** A loaded DynamoDB Local answers 500 now and then; those are worth another try. */
function serverSide(error: unknown): boolean {
  return (error as { $fault?: string }).$fault === 'server';
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 250 * attempt));
