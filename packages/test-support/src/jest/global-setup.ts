import { startDynamoDbLocal } from '../aws/dynamodb-local';

/**
 * Starts one DynamoDB Local for the whole jest run. Test files create their own tables
 * (unique names) so they never see each other's data. The endpoint reaches the workers
 * through the environment, which jest workers inherit from the parent process.
 */
export default async function globalSetup(): Promise<void> {
  const local = await startDynamoDbLocal();
  process.env.HANGAR_TEST_DYNAMODB_ENDPOINT = local.endpoint;
  (globalThis as Record<string, unknown>).__HANGAR_DYNAMODB__ = local;
}
