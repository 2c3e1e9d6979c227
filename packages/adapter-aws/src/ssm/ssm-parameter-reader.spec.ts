import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError, DependencyError } from '@hangar/core';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { createSsmClient } from './ssm-client';
import { SsmParameterReader } from './ssm-parameter-reader';

let emulator: SsmEmulator;
let client: SSMClient;
let reader: SsmParameterReader;

beforeAll(async () => {
  emulator = await startSsmEmulator();
  client = createSsmClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
  });
  reader = new SsmParameterReader({ client });
  await client.send(
    new PutParameterCommand({
      Name: '/hangar/config/pools',
      Type: 'String',
      Value: '{"pools":[{"id":"linux"}]}',
    }),
  );
  await client.send(
    new PutParameterCommand({ Name: '/hangar/github/webhook-secret', Type: 'SecureString', Value: 'whsec' }),
  );
  await client.send(
    new PutParameterCommand({ Name: '/hangar/ami/linux', Type: 'String', Value: 'ami-0abc' }),
  );
  await client.send(
    new PutParameterCommand({ Name: '/hangar/config/broken', Type: 'String', Value: '{not json' }),
  );
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.faults.clear());

describe('SsmParameterReader against the SSM emulator', () => {
  it('reads a SecureString decrypted by default', async () => {
    expect(await reader.readParameter('/hangar/github/webhook-secret')).toBe('whsec');
  });

  it('returns the ciphertext, not the secret, when asked not to decrypt', async () => {
    expect(await reader.readParameter('/hangar/github/webhook-secret', { decrypt: false })).not.toBe('whsec');
  });

  it('reads an AMI id published to a parameter', async () => {
    expect(await reader.readParameter('/hangar/ami/linux')).toBe('ami-0abc');
  });

  it('parses a JSON parameter', async () => {
    expect(await reader.readJson('/hangar/config/pools')).toEqual({ pools: [{ id: 'linux' }] });
  });

  it('reports a missing parameter as a ConfigurationError naming it', async () => {
    const error = await reader.readParameter('/hangar/config/absent').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'SSM parameter /hangar/config/absent does not exist',
    ]);
  });

  it('reports invalid JSON as a ConfigurationError naming the parameter without quoting its value', async () => {
    const error = await reader.readJson('/hangar/config/broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('/hangar/config/broken');
    expect((error as Error).message).not.toContain('{not json');
  });

  it('reports an SSM outage as a retryable DependencyError', async () => {
    emulator.faults.add({ action: 'GetParameter', code: 'InternalServerError', times: Infinity });
    const error = await reader.readParameter('/hangar/ami/linux').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'ssm', operation: 'GetParameter', retryable: true });
  });
});
