export * from './aws/dynamodb-local';
