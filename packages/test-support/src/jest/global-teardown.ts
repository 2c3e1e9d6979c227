import type { DynamoDbLocal } from '../aws/dynamodb-local';
import type { MotoServer } from '../aws/moto/moto-server';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as Record<string, unknown>;
  const local = state.__HANGAR_DYNAMODB__ as DynamoDbLocal | undefined;
  const moto = state.__HANGAR_MOTO__ as MotoServer | undefined;
  await Promise.all([local?.stop(), moto?.stop()]);
}
