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
  // Both start in parallel; on a loaded 2-core machine the JVM alone has needed over 30 s, and
  // moto's imports (every service's backend) more than 30 s at a load average of 40, so both
  // readiness waits are generous (DynamoDB Local's default; each poll is cheap).
  const [local, motoServer] = await Promise.all([startDynamoDbLocal(), startMotoUnlessAbsent()]);
  process.env.HANGAR_TEST_DYNAMODB_ENDPOINT = local.endpoint;
  if (typeof motoServer === 'string') process.env.HANGAR_TEST_MOTO_UNAVAILABLE = motoServer;
  else process.env.HANGAR_TEST_MOTO_ENDPOINT = motoServer.endpoint;
  const state = globalThis as Record<string, unknown>;
  state.__HANGAR_DYNAMODB__ = local;
  state.__HANGAR_MOTO__ = typeof motoServer === 'string' ? undefined : motoServer;
}

/** As long as DynamoDB Local's default wait. */
const MOTO_START_TIMEOUT_MS = 120_000;

/** moto, or why it is absent; a moto that is installed but fails to start fails the run. */
async function startMotoUnlessAbsent(): Promise<MotoServer | string> {
  try {
    return await startMoto(MOTO_START_TIMEOUT_MS);
  } catch (error) {
    const probe = await motoAvailability();
    if (!probe.available) return probe.reason;
    throw error;
  }
}
