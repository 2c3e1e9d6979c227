import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError, DependencyError, RunnerId } from '@hangar/core';
import { ManualClock } from '@hangar/core/testing';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { createSsmClient } from './ssm-client';
import { ssmSecretStoreSemantics } from './secret-store-semantics';
import { SsmSecretStore } from './ssm-secret-store';

const MAX_ATTEMPTS = 3;

let emulator: SsmEmulator;
let client: SSMClient;
let prefix: string;
let n = 0;

beforeAll(async () => {
  emulator = await startSsmEmulator();
  client = createSsmClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: MAX_ATTEMPTS,
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => {
  n += 1;
  prefix = `/hangar-spec/t${n}/runners`;
  emulator.faults.clear();
});

const storeWith = (extra: { kmsKeyId?: string } = {}) =>
  new SsmSecretStore({ client, pathPrefix: prefix, clock: new ManualClock(), ...extra });
// The semantic cases, also run against moto (ssm-secret-store.moto.spec.ts).
ssmSecretStoreSemantics('the SSM emulator', { endpoint: () => emulator.endpoint });

describe('SsmSecretStore against the SSM emulator: faults and configuration', () => {
  it('recovers from throttling by retrying inside the SDK', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'PutParameter', code: 'ThrottlingException', times: MAX_ATTEMPTS - 1 });
    const before = emulator.calls().length;
    await store.put(RunnerId('r-1'), 'v');
    const puts = emulator
      .calls()
      .slice(before)
      .map((c) => c.errorCode ?? 'ok');
    expect(puts).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
    expect(await store.get(RunnerId('r-1'))).toBe('v');
  });

  it('reports throttling that outlasts the retries as a retryable DependencyError after maxAttempts calls', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'GetParameter', code: 'ThrottlingException', times: Infinity });
    const before = emulator.calls().length;
    const error = await store.get(RunnerId('r-1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'ssm', operation: 'GetParameter', retryable: true });
    expect((error as Error).message).toContain('ThrottlingException');
    expect(emulator.calls().length - before).toBe(MAX_ATTEMPTS);
  });

  it('reports an SSM that stops answering as a retryable DependencyError once every attempt timed out', async () => {
    const impatient = createSsmClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 2,
      requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
    });
    emulator.faults.add({ action: 'GetParameter', delayMs: 300, times: Infinity });
    const store = new SsmSecretStore({ client: impatient, pathPrefix: prefix, clock: new ManualClock() });
    await expect(store.get(RunnerId('r-1'))).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      message: expect.stringContaining('TimeoutError'),
    });
    impatient.destroy();
    // The abandoned calls finish late on the emulator; let them land before the next spec counts calls.
    await emulator.idle();
  });

  it('reports access denied as a non-retryable DependencyError without retrying', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'PutParameter', code: 'AccessDeniedException', times: Infinity });
    const before = emulator.calls().length;
    await expect(store.put(RunnerId('r-1'), 'v')).rejects.toMatchObject({
      name: 'DependencyError',
      operation: 'PutParameter',
      retryable: false,
    });
    expect(emulator.calls().length - before).toBe(1);
  });

  it('rejects a path prefix that SSM would refuse with a ConfigurationError', () => {
    const make = (pathPrefix: string) => new SsmSecretStore({ client, pathPrefix, clock: new ManualClock() });
    expect(() => make('hangar/runners')).toThrow(ConfigurationError);
    expect(() => make('/aws/runners')).toThrow(ConfigurationError);
    expect(make('/hangar/runners/').pathFor(RunnerId('a'))).toBe('/hangar/runners/a');
  });
});
