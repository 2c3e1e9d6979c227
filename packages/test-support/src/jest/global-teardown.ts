import type { DynamoDbLocal } from '../aws/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  const local = (globalThis as Record<string, unknown>).__HANGAR_DYNAMODB__ as DynamoDbLocal | undefined;
  await local?.stop();
}
