import { describeWithMoto, motoEndpoint } from '@hangar/test-support/aws/moto';
import { sqsMessageQueueSemantics } from './message-queue-semantics';

// SqsMessageQueue's semantic cases (standard and FIFO queues) against moto's SQS, written by
// others; the same cases run against fauxqs in sqs-message-queue.spec.ts.
describeWithMoto('SQS adapter', () => {
  sqsMessageQueueSemantics('moto', { endpoint: motoEndpoint });
});
