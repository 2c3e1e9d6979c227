import { buildApp } from 'fauxqs';

/**
 * fauxqs (in-process SQS + S3 emulator) on 127.0.0.1 with a free port. It is faithful on
 * delays, visibility timeouts, FIFO dedup and FIFO group locking, but it does not reject
 * DelaySeconds above 900 — that validation is the adapter's job and is tested there.
 */
export interface SqsS3Emulator {
  /** Pass as `endpoint` to `SQSClient` and `S3Client` (the S3 client needs `forcePathStyle: true`). */
  readonly endpoint: string;
  /** Creates a queue; a `.fifo` name makes a FIFO queue. Resolves to its URL. */
  createQueue(name: string, attributes?: Readonly<Record<string, string>>): Promise<string>;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs. Its own `startFauxqs` always binds 0.0.0.0; building the app and listening
 * ourselves keeps it on loopback even outside the test network namespace. Queues and buckets
 * are then created over HTTP, the way the SDK would.
 */
export async function startSqsS3(): Promise<SqsS3Emulator> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });

  const createQueue = async (
    name: string,
    attributes: Readonly<Record<string, string>> = {},
  ): Promise<string> => {
    const fifo: Record<string, string> = name.endsWith('.fifo') ? { FifoQueue: 'true' } : {};
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
      body: JSON.stringify({ QueueName: name, Attributes: { ...fifo, ...attributes } }),
    });
    const body = (await response.json()) as { QueueUrl?: string };
    if (!response.ok || !body.QueueUrl)
      throw new Error(`fauxqs CreateQueue ${name} failed: ${JSON.stringify(body)}`);
    return body.QueueUrl;
  };

  const createBucket = async (name: string): Promise<void> => {
    const response = await fetch(`${endpoint}/${encodeURIComponent(name)}`, { method: 'PUT' });
    if (!response.ok) throw new Error(`fauxqs CreateBucket ${name} failed with HTTP ${response.status}`);
  };

  return { endpoint, createQueue, createBucket, stop: () => app.close() };
}
