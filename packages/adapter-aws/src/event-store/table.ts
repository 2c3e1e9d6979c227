import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { translateDynamoDbError } from './dynamodb-errors';

/**
 * The single-table layout (docs/table-design.md). One partition per stream:
 *   sk = 'e#000000000042'  event 42      sk = 'head'      version + StreamHead
 *   sk = 'snapshot'        latest snapshot
 * 'e#…' < 'head' < 'snapshot' in byte order, so events form one contiguous key range.
 * The Terraform module mirrors these names; change them together.
 */
export const KEY = { partition: 'pk', sort: 'sk' } as const;
export const HEAD_SK = 'head';
export const SNAPSHOT_SK = 'snapshot';
export const TTL_ATTRIBUTE = 'ttl';

/** Sparse GSIs over head items; an item without the index's key attributes is not in it. */
export const INDEX = {
  /** Open heads: gsi1pk = 'open#<type>', gsi1sk = '<group|*>#<streamId>'. */
  open: { name: 'open', partition: 'gsi1pk', sort: 'gsi1sk' },
  /** Heads by lookup key (instance id): gsi2pk = 'lk#<type>#<key>'. */
  lookup: { name: 'lookup', partition: 'gsi2pk', sort: 'sk' },
  /** Heads by alternate key (runner name): gsi3pk = 'ak#<type>#<key>'. */
  alternate: { name: 'alternate', partition: 'gsi3pk', sort: 'sk' },
} as const;

const VERSION_DIGITS = 12;
const EVENT_PREFIX = 'e#';

/** Sort key of event `version`; zero-padded so string order is version order. */
export function eventSortKey(version: number): string {
  return `${EVENT_PREFIX}${String(version).padStart(VERSION_DIGITS, '0')}`;
}

export const openPartition = (streamType: string): string => `open#${streamType}`;
export const openSortPrefix = (group: string | null): string => `${group ?? '*'}#`;
export const lookupPartition = (streamType: string, key: string): string => `lk#${streamType}#${key}`;
export const alternatePartition = (streamType: string, key: string): string => `ak#${streamType}#${key}`;

/** DynamoDB TTL reads whole epoch seconds. */
export function ttlSeconds(expiresAt: string): number {
  const ms = Date.parse(expiresAt);
  if (Number.isNaN(ms)) throw new RangeError(`expiresAt is not an ISO-8601 time: ${expiresAt}`);
  return Math.ceil(ms / 1000);
}

/**
 * Creates the event-store table (on-demand, three sparse GSIs projecting everything, TTL on
 * `ttl`) and waits until it is ACTIVE. Idempotent: an existing table is left as it is (its
 * schema is not compared). Used by the tests and the local control plane; the Terraform
 * module declares the same schema for AWS.
 */
export async function createEventStoreTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const gsi = (index: { name: string; partition: string; sort: string }) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partition, KeyType: 'HASH' as const },
      { AttributeName: index.sort, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  try {
    await createUnlessExists(client, {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi3pk'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S' as const,
      })),
      KeySchema: [
        { AttributeName: KEY.partition, KeyType: 'HASH' },
        { AttributeName: KEY.sort, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [gsi(INDEX.open), gsi(INDEX.lookup), gsi(INDEX.alternate)],
    });
    await waitUntilActive(client, tableName);
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    // Enabling TTL twice is a validation error, so a restarted control plane checks first.
    if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED')
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
  } catch (error) {
    throw translateDynamoDbError('createTable', error);
  }
}

async function createUnlessExists(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE within 60 s`);
}
