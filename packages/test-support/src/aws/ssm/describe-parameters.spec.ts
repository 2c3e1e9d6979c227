import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startSsmEmulator, type SsmEmulator } from './index';

let emulator: SsmEmulator;
let client: SSMClient;

beforeAll(async () => {
  emulator = await startSsmEmulator();
  client = new SSMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  for (const name of ['/d/a', '/d/b', '/d/nested/c', '/other/a'])
    await client.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }));
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const names = async (ParameterFilters: { Key: string; Option?: string; Values: string[] }[]) =>
  ((await client.send(new DescribeParametersCommand({ ParameterFilters }))).Parameters ?? []).map(
    (p) => p.Name,
  );

describe('SSM emulator DescribeParameters filters', () => {
  it('selects by Name Equals, as AWS does, instead of listing everything', async () => {
    expect(await names([{ Key: 'Name', Option: 'Equals', Values: ['/d/b'] }])).toEqual(['/d/b']);
  });

  it('selects by Path one level down by default, or recursively', async () => {
    expect(await names([{ Key: 'Path', Values: ['/d'] }])).toEqual(['/d/a', '/d/b']);
    expect(await names([{ Key: 'Path', Option: 'Recursive', Values: ['/d'] }])).toEqual([
      '/d/a',
      '/d/b',
      '/d/nested/c',
    ]);
  });

  it('refuses an unknown filter key with InvalidFilterKey rather than ignoring it', async () => {
    await expect(names([{ Key: 'Colour', Values: ['blue'] }])).rejects.toMatchObject({
      name: 'InvalidFilterKey',
    });
  });
});
