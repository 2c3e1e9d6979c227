export * from './ssm/index';
export * from './event-store/index';
export * from './compute/index';
export * from './sqs/index';
export * from './s3/index';
