import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AddTagsToResourceCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { startSsmEmulator, type SsmEmulator } from './index';

let emulator: SsmEmulator;
let client: SSMClient;
let n = 0;
let root: string;

beforeAll(async () => {
  emulator = await startSsmEmulator();
  client = new SSMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => {
  n += 1;
  root = `/tags${n}`;
});

const put = (name: string, extra: Partial<ConstructorParameters<typeof PutParameterCommand>[0]> = {}) =>
  client.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'SecureString', ...extra }));
const tagsOf = async (name: string) =>
  (await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name })))
    .TagList;

describe('parameter tags', () => {
  it('stores the tags given to PutParameter and lists them with ListTagsForResource', async () => {
    await put(`${root}/a`, { Tags: [{ Key: 'hangar:principal', Value: 'AROAEXAMPLE:i-0abc' }] });
    expect(await tagsOf(`${root}/a`)).toEqual([{ Key: 'hangar:principal', Value: 'AROAEXAMPLE:i-0abc' }]);
    expect(emulator.parameters().find((p) => p.name === `${root}/a`)?.tags).toEqual({
      'hangar:principal': 'AROAEXAMPLE:i-0abc',
    });
  });

  it('refuses Tags together with Overwrite with the ValidationException AWS gives, changing nothing', async () => {
    await put(`${root}/a`, { Tags: [{ Key: 'k', Value: 'one' }] });
    const error = await put(`${root}/a`, { Overwrite: true, Tags: [{ Key: 'k', Value: 'two' }] }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("tags and overwrite can't be used together"),
    });
    expect(emulator.parameters().find((p) => p.name === `${root}/a`)).toMatchObject({
      version: 1,
      tags: { k: 'one' },
    });
  });

  it('keeps the tags when the value is overwritten', async () => {
    await put(`${root}/a`, { Tags: [{ Key: 'k', Value: 'one' }] });
    await put(`${root}/a`, { Overwrite: true, Value: 'new' });
    expect(await tagsOf(`${root}/a`)).toEqual([{ Key: 'k', Value: 'one' }]);
  });

  it('adds and replaces tags with AddTagsToResource', async () => {
    await put(`${root}/a`, { Tags: [{ Key: 'k', Value: 'one' }] });
    await client.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: `${root}/a`,
        Tags: [
          { Key: 'k', Value: 'two' },
          { Key: 'other', Value: 'x' },
        ],
      }),
    );
    expect(await tagsOf(`${root}/a`)).toEqual([
      { Key: 'k', Value: 'two' },
      { Key: 'other', Value: 'x' },
    ]);
  });

  it('answers InvalidResourceId for tags of a parameter that does not exist', async () => {
    await expect(tagsOf(`${root}/missing`)).rejects.toMatchObject({ name: 'InvalidResourceId' });
    await expect(
      client.send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: `${root}/missing`,
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidResourceId' });
  });

  it('answers InvalidResourceType for a resource type other than Parameter', async () => {
    await put(`${root}/a`);
    await expect(
      client.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: `${root}/a` })),
    ).rejects.toMatchObject({ name: 'InvalidResourceType' });
  });
});
