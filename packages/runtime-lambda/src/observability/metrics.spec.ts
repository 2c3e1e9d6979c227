import { describe, expect, it } from '@jest/globals';
import { captureOutput } from '../handlers/spec-roots';
import { Observability } from './observability';

type EmfRecord = {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Dimensions: string[][] }[] };
} & Record<string, unknown>;

function emfRecords(output: string): EmfRecord[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfRecord);
}

describe('metrics', () => {
  it('a metric with its own dimensions is also published under service alone, where the alarms and dashboard look', async () => {
    const observability = new Observability({
      serviceName: 'hangar-spec',
      logLevel: 'ERROR',
      metricsNamespace: 'Hangar',
    });
    const { output } = await captureOutput(async () => {
      observability.metrics.add('RunnerLaunchFailed', 1, 'Count', { reason: 'capacity', pool: 'linux' });
      observability.endInvocation();
    });

    const records = emfRecords(output).filter((record) => 'RunnerLaunchFailed' in record);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service'],
      ['service', 'reason', 'pool'],
    ]);
    expect(record).toMatchObject({
      service: 'hangar-spec',
      reason: 'capacity',
      pool: 'linux',
      RunnerLaunchFailed: 1,
    });
  });

  it('a metric without dimensions is published under service alone', async () => {
    const observability = new Observability({
      serviceName: 'hangar-spec',
      logLevel: 'ERROR',
      metricsNamespace: 'Hangar',
    });
    const { output } = await captureOutput(async () => {
      observability.metrics.add('RunnersRetired', 2, 'Count');
      observability.endInvocation();
    });

    const [record] = emfRecords(output).filter((line) => 'RunnersRetired' in line);
    expect(record?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
  });
});
