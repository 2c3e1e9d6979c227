import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface EventStoreClientOptions {
  readonly region: string;
  /** DynamoDB Local (tests, the local control plane, benchmarks); absent on AWS. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per call (throttling and 5xx are retried inside the SDK); default 3. */
  readonly maxAttempts?: number;
}

/** A DynamoDB client for the event store, so callers need no SDK import of their own. */
export function createEventStoreClient(options: EventStoreClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
  });
}
