import { createEventStoreClient, DynamoDbEventStore } from '@hangar/adapter-aws';
import { jobStreamId } from '@hangar/core';
import type { LocalControlPlane } from '@hangar/runtime-lambda/local/control-plane';

/**
 * What Hangar recorded about a job that did not end as promised: its stream's events and those
 * of every runner requested for it, read from DynamoDB Local after the run.
 */
export async function diagnoseJob(plane: LocalControlPlane, jobId: number): Promise<string> {
  const { dynamoDbEndpoint, tableName } = plane.infrastructure;
  const client = createEventStoreClient({
    region: 'us-east-1',
    endpoint: dynamoDbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const store = new DynamoDbEventStore({ client, tableName });
    const job = await store.readStream(jobStreamId(String(jobId)));
    const lines = [`job ${jobId}: ${job.events.map((e) => e.type).join(' → ') || 'no events'}`];
    for (const event of job.events) {
      if (event.type !== 'RunnerRequestedForJob') continue;
      const runnerId = (event.data as { runnerId: string }).runnerId;
      const runner = await store.readStream(`runner-${runnerId}`);
      lines.push(`  runner ${runnerId}: ${runner.events.map((e) => e.type).join(' → ')}`);
    }
    return lines.join('\n');
  } finally {
    client.destroy();
  }
}
