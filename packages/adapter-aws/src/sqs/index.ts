export { DEFAULT_MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, MAX_DELAY_SECONDS } from './sqs-batches';
export { isRetryableSqsError } from './sqs-errors';
export { SqsMessageQueue } from './sqs-message-queue';
export type { SqsMessageQueueConfig } from './sqs-message-queue';
