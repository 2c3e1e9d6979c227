import { createEventStoreClient, DynamoDbEventStore } from '@hangar/adapter-aws';
import {
  JobId,
  readJob,
  readRunners,
  requestedRunners,
  toMillis,
  type JobHistory,
  type ReadDeps,
  type RunnerHistory,
} from '@hangar/core';
import type { DemoHistory } from './demo-report-types';
import { LOCAL_CREDENTIALS } from './infrastructure';

export type { DemoHistory } from './demo-report-types';

export async function readDemoHistory(input: {
  readonly endpoint: string;
  readonly tableName: string;
  readonly jobIds: readonly number[];
  readonly start: number;
  readonly minutes: number;
}): Promise<DemoHistory> {
  const client = createEventStoreClient({
    region: 'us-east-1',
    endpoint: input.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const store = new DynamoDbEventStore({ client, tableName: input.tableName });
  const deps: ReadDeps = { eventStore: store, snapshots: store, index: store, history: store };
  try {
    const launches = new Array<number>(input.minutes + 1).fill(0);
    const launchFailures = new Array<number>(input.minutes + 1).fill(0);
    const minuteOf = (at: string) =>
      Math.min(input.minutes, Math.max(0, Math.floor((toMillis(at) - input.start) / 60_000)));
    const read: { job: JobHistory; runners: RunnerHistory[] }[] = [];
    for (const id of input.jobIds) {
      const job = await readJob(deps, JobId(id));
      read.push({ job, runners: await readRunners(deps, requestedRunners(job)) });
    }
    for (const { runners } of read) {
      for (const event of runners.flatMap((runner) => runner.events)) {
        const count = (series: number[], at: string) =>
          (series[minuteOf(at)] = (series[minuteOf(at)] ?? 0) + 1);
        if (event.type === 'RunnerLaunched') count(launches, event.data.launchedAt);
        if (event.type === 'RunnerLaunchFailed') count(launchFailures, event.data.at);
      }
    }
    return { launches, launchFailures, examples: examples(read) };
  } finally {
    client.destroy();
  }
}

function examples(read: readonly { job: JobHistory; runners: RunnerHistory[] }[]): DemoHistory['examples'] {
  const rejections = (job: JobHistory) =>
    job.events.filter(
      (event) => event.type === 'ScaleUpRejected' && event.data.reason === 'max-runners-reached',
    ).length;
  const fullPool = [...read].sort((a, b) => rejections(b.job) - rejections(a.job))[0];
  const outage = read.find(({ runners }) =>
    runners.some((runner) =>
      runner.events.some(
        (event) => event.type === 'RunnerLaunchFailed' && event.data.reason === 'insufficient-capacity',
      ),
    ),
  );
  const interrupted = read.find(({ job }) => job.events.some((event) => event.type === 'JobInterrupted'));
  return {
    fullPool: fullPool && rejections(fullPool.job) > 0 ? fullPool.job.jobId : null,
    capacityOutage: outage?.job.jobId ?? null,
    interrupted: interrupted?.job.jobId ?? null,
  };
}
