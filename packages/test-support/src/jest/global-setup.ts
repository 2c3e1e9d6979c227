import { startDynamoDbLocal } from '../aws/dynamodb-local';
import { motoAvailability, startMoto, type MotoServer } from '../aws/moto/moto-server';

/**
 * Starts one DynamoDB Local and one moto for the whole jest run, side by side. Test files
 * create their own tables, queues, buckets and parameter paths (unique names) so they never
 * see each other's data. Endpoints reach the workers through the environment, which jest
 * workers inherit from the parent process. One moto for the run costs its start-up and each
 * service's first-call initialisation once (EC2's takes seconds), instead of once per file.
 */
export default async function globalSetup(): Promise<void> {
  const [local, motoServer] = await Promise.all([startDynamoDbLocal(), startMotoUnlessAbsent()]);
  process.env.HANGAR_TEST_DYNAMODB_ENDPOINT = local.endpoint;
  if (typeof motoServer === 'string') process.env.HANGAR_TEST_MOTO_UNAVAILABLE = motoServer;
  else process.env.HANGAR_TEST_MOTO_ENDPOINT = motoServer.endpoint;
  const state = globalThis as Record<string, unknown>;
  state.__HANGAR_DYNAMODB__ = local;
  state.__HANGAR_MOTO__ = typeof motoServer === 'string' ? undefined : motoServer;
}

/** moto, or why it is absent; a moto that is installed but fails to start fails the run. */
async function startMotoUnlessAbsent(): Promise<MotoServer | string> {
  try {
    return await startMoto();
  } catch (error) {
    const probe = await motoAvailability();
    if (!probe.available) return probe.reason;
    throw error;
  }
}
