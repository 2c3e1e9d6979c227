import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { startSsmEmulator, type SsmEmulator } from './index';

const FIXED_MS = Date.parse('2026-03-01T12:00:00.000Z');

let emulator: SsmEmulator;
let client: SSMClient;
let n = 0;
/** A fresh path root per test, so specs share one emulator without seeing each other. */
let root: string;

beforeAll(async () => {
  emulator = await startSsmEmulator({ nowMs: () => FIXED_MS });
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
  root = `/spec${n}`;
  emulator.faults.clear();
});

const put = (
  name: string,
  value: string,
  extra: Partial<ConstructorParameters<typeof PutParameterCommand>[0]> = {},
) => client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', ...extra }));

describe('PutParameter and GetParameter', () => {
  it('stores a SecureString and returns the plain value only WithDecryption', async () => {
    const put1 = await put(`${root}/a`, 'secret-1');
    expect(put1).toMatchObject({ Version: 1, Tier: 'Standard' });
    const plain = await client.send(new GetParameterCommand({ Name: `${root}/a`, WithDecryption: true }));
    expect(plain.Parameter).toMatchObject({
      Name: `${root}/a`,
      Value: 'secret-1',
      Type: 'SecureString',
      Version: 1,
    });
    expect(plain.Parameter?.LastModifiedDate?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    const cipher = await client.send(new GetParameterCommand({ Name: `${root}/a` }));
    expect(cipher.Parameter?.Value).not.toContain('secret-1');
  });

  it('rejects a second put without Overwrite with ParameterAlreadyExists and bumps the version with it', async () => {
    await put(`${root}/a`, 'one');
    await expect(put(`${root}/a`, 'two')).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    await expect(put(`${root}/a`, 'two', { Overwrite: true })).resolves.toMatchObject({ Version: 2 });
    expect(emulator.parameters().find((p) => p.name === `${root}/a`)).toMatchObject({
      value: 'two',
      version: 2,
    });
  });

  it('records the KMS key, defaulting to alias/aws/ssm', async () => {
    await put(`${root}/k1`, 'v', { KeyId: 'alias/hangar' });
    await put(`${root}/k2`, 'v');
    const stored = emulator.parameters().filter((p) => p.name.startsWith(root));
    expect(stored.map((p) => p.keyId)).toEqual(['alias/hangar', 'alias/aws/ssm']);
  });

  it('rejects a value over 4096 bytes in the Standard tier with ValidationException', async () => {
    await expect(put(`${root}/big`, 'x'.repeat(4097))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Standard tier parameters support a maximum parameter value of 4096'),
    });
  });

  it('accepts up to 8192 bytes in the Advanced tier and rejects more', async () => {
    await expect(put(`${root}/big`, 'x'.repeat(8192), { Tier: 'Advanced' })).resolves.toMatchObject({
      Tier: 'Advanced',
    });
    await expect(put(`${root}/bigger`, 'x'.repeat(8193), { Tier: 'Advanced' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('keeps an advanced parameter advanced when the tier is omitted and refuses an explicit downgrade', async () => {
    await put(`${root}/adv`, 'x'.repeat(5000), { Tier: 'Advanced' });
    await expect(put(`${root}/adv`, 'small', { Overwrite: true })).resolves.toMatchObject({
      Tier: 'Advanced',
    });
    await expect(put(`${root}/adv`, 'small', { Overwrite: true, Tier: 'Standard' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('rejects names prefixed with aws or ssm', async () => {
    await expect(put('/aws/thing', 'v')).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers ParameterNotFound for a missing parameter', async () => {
    await expect(client.send(new GetParameterCommand({ Name: `${root}/none` }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('batch reads and deletes', () => {
  it('GetParameters returns found parameters and lists the missing ones as InvalidParameters', async () => {
    await put(`${root}/a`, '1');
    const out = await client.send(
      new GetParametersCommand({ Names: [`${root}/a`, `${root}/b`], WithDecryption: true }),
    );
    expect(out.Parameters?.map((p) => p.Value)).toEqual(['1']);
    expect(out.InvalidParameters).toEqual([`${root}/b`]);
  });

  it('GetParameters rejects more than 10 names', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `${root}/${i}`);
    await expect(client.send(new GetParametersCommand({ Names: names }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('DeleteParameter removes a parameter and answers ParameterNotFound the second time', async () => {
    await put(`${root}/a`, '1');
    await client.send(new DeleteParameterCommand({ Name: `${root}/a` }));
    await expect(client.send(new DeleteParameterCommand({ Name: `${root}/a` }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });

  it('DeleteParameters reports deleted and missing names separately', async () => {
    await put(`${root}/a`, '1');
    const out = await client.send(new DeleteParametersCommand({ Names: [`${root}/a`, `${root}/b`] }));
    expect(out).toMatchObject({ DeletedParameters: [`${root}/a`], InvalidParameters: [`${root}/b`] });
  });
});

describe('GetParametersByPath', () => {
  it('lists direct children only unless Recursive, paging with NextToken', async () => {
    for (let i = 0; i < 12; i += 1) await put(`${root}/p${String(i).padStart(2, '0')}`, `v${i}`);
    await put(`${root}/nested/deep`, 'd');
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new GetParametersByPathCommand({ Path: root, MaxResults: 5, NextToken: token }),
      );
      names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toHaveLength(12);
    expect(names).not.toContain(`${root}/nested/deep`);
    const recursive = await client.send(
      new GetParametersByPathCommand({ Path: `${root}/nested`, Recursive: true }),
    );
    expect(recursive.Parameters?.map((p) => p.Name)).toEqual([`${root}/nested/deep`]);
  });

  it('rejects MaxResults above 10 and an invalid NextToken', async () => {
    await expect(
      client.send(new GetParametersByPathCommand({ Path: root, MaxResults: 11 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      client.send(new GetParametersByPathCommand({ Path: root, NextToken: 'bogus' })),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('DescribeParameters reports tier and key without values', async () => {
    await put(`${root}/d`, 'x'.repeat(5000), { Tier: 'Advanced', KeyId: 'alias/k' });
    const out = await client.send(new DescribeParametersCommand({ MaxResults: 50 }));
    const mine = out.Parameters?.find((p) => p.Name === `${root}/d`);
    expect(mine).toMatchObject({ Tier: 'Advanced', KeyId: 'alias/k', Type: 'SecureString' });
    expect(mine).not.toHaveProperty('Value');
  });
});

describe('faults and call log', () => {
  it('fails the chosen action the given number of times, then serves it', async () => {
    emulator.faults.add({ action: 'GetParameter', code: 'ThrottlingException', times: 2 });
    await put(`${root}/a`, '1');
    const get = () => client.send(new GetParameterCommand({ Name: `${root}/a` }));
    await expect(get()).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(get()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(get()).resolves.toMatchObject({ Parameter: { Name: `${root}/a` } });
  });

  it('delays a call by delayMs and then serves it; a client with a shorter timeout gives up', async () => {
    await put(`${root}/slow`, 'v');
    emulator.faults.add({ action: 'GetParameter', delayMs: 300, times: 2 });
    const get = new GetParameterCommand({ Name: `${root}/slow` });
    await expect(client.send(get)).resolves.toMatchObject({ Parameter: { Name: `${root}/slow` } });
    const impatient = new SSMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
    });
    const before = emulator.calls().length;
    await expect(impatient.send(get)).rejects.toMatchObject({ name: 'TimeoutError' });
    impatient.destroy();
    await emulator.idle();
    // The abandoned call still completed on the emulator's side and is in the log.
    expect(
      emulator
        .calls()
        .slice(before)
        .map((c) => c.action),
    ).toEqual(['GetParameter']);
  });

  it('answers InternalServerError with HTTP 500', async () => {
    emulator.faults.add({ action: '*', code: 'InternalServerError' });
    await expect(put(`${root}/a`, '1')).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
  });

  it('records every call with its action, input and error code', async () => {
    const before = emulator.calls().length;
    await put(`${root}/a`, '1');
    await expect(client.send(new GetParameterCommand({ Name: `${root}/zz` }))).rejects.toThrow();
    const mine = emulator.calls().slice(before);
    expect(mine.map((c) => [c.action, c.errorCode])).toEqual([
      ['PutParameter', undefined],
      ['GetParameter', 'ParameterNotFound'],
    ]);
    expect(mine[0]?.input).toMatchObject({ Name: `${root}/a`, Type: 'SecureString' });
  });
});
