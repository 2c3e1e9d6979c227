import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError, DependencyError, RunnerId } from '@hangar/core';
import { ManualClock } from '@hangar/core/testing';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { createSsmClient } from './ssm-client';
import { SsmSecretStore } from './ssm-secret-store';

const STORED_AT_MS = Date.parse('2026-04-01T08:30:00.000Z');
const MAX_ATTEMPTS = 3;

let emulator: SsmEmulator;
let client: SSMClient;
let prefix: string;
let n = 0;

beforeAll(async () => {
  emulator = await startSsmEmulator({ nowMs: () => STORED_AT_MS });
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
const storedUnder = (path: string) => emulator.parameters().filter((p) => p.name.startsWith(`${path}/`));

describe('SsmSecretStore against the SSM emulator', () => {
  it('stores a runner secret as a SecureString at <prefix>/<runnerId> and reads it back', async () => {
    const store = storeWith();
    await store.put(RunnerId('r-1'), 'jit-config-1');
    expect(store.pathFor(RunnerId('r-1'))).toBe(`${prefix}/r-1`);
    expect(await store.get(RunnerId('r-1'))).toBe('jit-config-1');
    expect(storedUnder(prefix)).toEqual([
      expect.objectContaining({
        name: `${prefix}/r-1`,
        type: 'SecureString',
        tier: 'Standard',
        keyId: 'alias/aws/ssm',
      }),
    ]);
  });

  it('overwrites the secret of a runner when put again', async () => {
    const store = storeWith();
    await store.put(RunnerId('r-1'), 'first');
    await store.put(RunnerId('r-1'), 'second');
    expect(await store.get(RunnerId('r-1'))).toBe('second');
    expect(storedUnder(prefix)[0]?.version).toBe(2);
  });

  it('uses the Advanced tier only for a value over 4 KB', async () => {
    const store = storeWith();
    await store.put(RunnerId('small'), 'x'.repeat(4096));
    await store.put(RunnerId('large'), 'x'.repeat(6000));
    expect(await store.get(RunnerId('large'))).toHaveLength(6000);
    const tiers = Object.fromEntries(storedUnder(prefix).map((p) => [p.name.split('/').pop(), p.tier]));
    expect(tiers).toEqual({ small: 'Standard', large: 'Advanced' });
  });

  it('encrypts with the configured customer KMS key', async () => {
    await storeWith({ kmsKeyId: 'alias/hangar-runners' }).put(RunnerId('r-1'), 'v');
    expect(storedUnder(prefix)[0]?.keyId).toBe('alias/hangar-runners');
  });

  it('returns null for a runner without a secret', async () => {
    expect(await storeWith().get(RunnerId('missing'))).toBeNull();
  });

  it('deletes a secret, and deleting it again succeeds', async () => {
    const store = storeWith();
    await store.put(RunnerId('r-1'), 'v');
    await store.delete(RunnerId('r-1'));
    await expect(store.delete(RunnerId('r-1'))).resolves.toBeUndefined();
    expect(await store.get(RunnerId('r-1'))).toBeNull();
  });

  it('lists every runner secret across pages with its LastModifiedDate, skipping nested parameters', async () => {
    const store = storeWith();
    const ids = Array.from({ length: 23 }, (_, i) => `r-${String(i).padStart(2, '0')}`);
    for (const id of ids) await store.put(RunnerId(id), `secret-${id}`);
    await client.send(
      new PutParameterCommand({ Name: `${prefix}/operator/keep`, Value: 'x', Type: 'String' }),
    );
    const before = emulator.calls().length;
    const listed = await store.list();
    expect(listed.map((s) => s.runnerId).sort()).toEqual(ids);
    expect(new Set(listed.map((s) => s.storedAt))).toEqual(new Set(['2026-04-01T08:30:00.000Z']));
    const pages = emulator.calls().slice(before);
    expect(pages.map((c) => c.action)).toEqual([
      'GetParametersByPath',
      'GetParametersByPath',
      'GetParametersByPath',
    ]);
  });

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

  it('reports a value too large for any tier as a non-retryable DependencyError', async () => {
    await expect(storeWith().put(RunnerId('r-1'), 'x'.repeat(9000))).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
    });
  });

  it('rejects a path prefix that SSM would refuse with a ConfigurationError', () => {
    const make = (pathPrefix: string) => new SsmSecretStore({ client, pathPrefix, clock: new ManualClock() });
    expect(() => make('hangar/runners')).toThrow(ConfigurationError);
    expect(() => make('/aws/runners')).toThrow(ConfigurationError);
    expect(make('/hangar/runners/').pathFor(RunnerId('a'))).toBe('/hangar/runners/a');
  });
});
