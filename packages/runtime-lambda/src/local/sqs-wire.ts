/**
 * The few SQS calls the local event-source mapping makes, over SQS's JSON protocol with
 * fetch. This is Lambda's side of the queue (the poller AWS runs for us), so it talks to the
 * emulator directly and its calls are not counted as Hangar's.
 */
export interface WireMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly MD5OfBody?: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MessageAttributes?: Readonly<Record<string, unknown>>;
}

async function call<T>(endpoint: string, action: string, input: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SQS ${action} failed with HTTP ${response.status}: ${text}`);
  return (text.length === 0 ? {} : JSON.parse(text)) as T;
}

export class SqsWire {
  constructor(private readonly endpoint: string) {}

  async receive(queueUrl: string, max = 10): Promise<readonly WireMessage[]> {
    const out = await call<{ Messages?: WireMessage[] }>(this.endpoint, 'ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    return out.Messages ?? [];
  }

  async deleteBatch(queueUrl: string, receiptHandles: readonly string[]): Promise<void> {
    for (let i = 0; i < receiptHandles.length; i += 10) {
      const chunk = receiptHandles.slice(i, i + 10);
      const out = await call<{ Failed?: unknown[] }>(this.endpoint, 'DeleteMessageBatch', {
        QueueUrl: queueUrl,
        Entries: chunk.map((handle, index) => ({ Id: String(index), ReceiptHandle: handle })),
      });
      if (out.Failed && out.Failed.length > 0)
        throw new Error(`SQS DeleteMessageBatch failed for ${JSON.stringify(out.Failed)}`);
    }
  }

  async makeVisible(queueUrl: string, receiptHandle: string): Promise<void> {
    await call(this.endpoint, 'ChangeMessageVisibility', {
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: 0,
    });
  }

  /** Visible + in flight + delayed messages (SQS's approximate counts, exact on the emulator). */
  async depth(queueUrl: string): Promise<number> {
    const out = await call<{ Attributes?: Record<string, string> }>(this.endpoint, 'GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    });
    const attributes = out.Attributes ?? {};
    return (
      Number(attributes.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  }

  async queueArn(queueUrl: string): Promise<string> {
    const out = await call<{ Attributes?: Record<string, string> }>(this.endpoint, 'GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['QueueArn'],
    });
    const arn = out.Attributes?.QueueArn;
    if (!arn) throw new Error(`SQS GetQueueAttributes returned no QueueArn for ${queueUrl}`);
    return arn;
  }
}
