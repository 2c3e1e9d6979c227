import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  ConfigurationError,
  DependencyError,
  InstanceId,
  RunnerId,
  type RunnerSecretRef,
  type SecretReader,
} from '@hangar/core';
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

const ROLES = { ec2: 'AROAEC2RUNNERROLE01', fargate: 'AROAFARGATETASKROLE' };
const SUFFIX = '0123456789abcdef0123456789abcdef';
const machine: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0123456789abcdef0') };
const other: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0fedcba9876543210') };
/** A runner's secret ref with the spec's suffix. */
const r = (id: string, suffix: string | null = SUFFIX): RunnerSecretRef => ({
  runnerId: RunnerId(id),
  suffix,
});

const storeWith = (extra: { kmsKeyId?: string } = {}) =>
  new SsmSecretStore({
    client,
    pathPrefix: prefix,
    clock: new ManualClock(),
    runnerRoleIds: ROLES,
    ...extra,
  });
const storedUnder = (path: string) => emulator.parameters().filter((p) => p.name.startsWith(`${path}/`));

// The semantic cases, also run against moto (ssm-secret-store.moto.spec.ts).
ssmSecretStoreSemantics('the SSM emulator', { endpoint: () => emulator.endpoint });

describe('SsmSecretStore against the SSM emulator: the calls it makes', () => {
  it('creates the secret with its tag in one PutParameter, without Overwrite', async () => {
    const before = emulator.calls().length;
    await storeWith().put(r('r-1'), 'jit-config-1', machine);
    const calls = emulator.calls().slice(before);
    expect(calls.map((c) => c.action)).toEqual(['PutParameter']);
    expect(calls[0]?.input).not.toHaveProperty('Overwrite');
  });

  it('a second put re-binds the secret to the new machine before it replaces the value', async () => {
    const store = storeWith();
    await store.put(r('r-1'), 'first', machine);
    const before = emulator.calls().length;
    await store.put(r('r-1'), 'second', other);
    const calls = emulator.calls().slice(before, before + 3);
    expect(calls.map((c) => [c.action, c.errorCode ?? 'ok'])).toEqual([
      ['PutParameter', 'ParameterAlreadyExists'],
      ['AddTagsToResource', 'ok'],
      ['PutParameter', 'ok'],
    ]);
    expect(calls[2]?.input).toMatchObject({ Overwrite: true });
    expect(calls[2]?.input).not.toHaveProperty('Tags');
  });

  it('refuses to store a secret for machines whose runner role id is not configured, writing nothing', async () => {
    const store = new SsmSecretStore({
      client,
      pathPrefix: prefix,
      clock: new ManualClock(),
      runnerRoleIds: {},
    });
    await expect(store.put(r('r-1'), 'jit', machine)).rejects.toBeInstanceOf(ConfigurationError);
    expect(storedUnder(prefix)).toEqual([]);
  });
});

describe('SsmSecretStore against the SSM emulator: faults and configuration', () => {
  it('recovers from throttling by retrying inside the SDK', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'PutParameter', code: 'ThrottlingException', times: MAX_ATTEMPTS - 1 });
    const before = emulator.calls().length;
    await store.put(r('r-1'), 'v', machine);
    const puts = emulator
      .calls()
      .slice(before)
      .map((c) => c.errorCode ?? 'ok');
    expect(puts).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
    expect(await store.get(r('r-1'))).toBe('v');
  });

  it('reports throttling that outlasts the retries as a retryable DependencyError after maxAttempts calls', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'GetParameter', code: 'ThrottlingException', times: Infinity });
    const before = emulator.calls().length;
    const error = await store.get(r('r-1')).catch((e: unknown) => e);
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
    await expect(store.get(r('r-1'))).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      message: expect.stringContaining('TimeoutError'),
    });
    impatient.destroy();
    // The abandoned calls finish late on the emulator; let them land before the next spec counts calls.
    await emulator.idle();
  });

  it('creates the secret again, tagged, when it vanished between "already exists" and re-tagging it (its machine read and deleted it)', async () => {
    // From the client's side: PutParameter answers ParameterAlreadyExists, and by the time
    // AddTagsToResource arrives the parameter is gone (the booted machine deleted it).
    emulator.faults.add({ action: 'PutParameter', code: 'ParameterAlreadyExists', times: 1 });
    await storeWith().put(r('r-gone'), 'jit-again', machine);
    const [stored] = storedUnder(prefix);
    expect(stored).toMatchObject({ value: 'jit-again' });
    // Readable by its machine only: the principal tag is on it.
    expect(stored?.tags).toEqual({ 'hangar:principal': `${ROLES.ec2}:i-0123456789abcdef0` });
  });

  it('reports access denied as a non-retryable DependencyError without retrying', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'PutParameter', code: 'AccessDeniedException', times: Infinity });
    const before = emulator.calls().length;
    await expect(store.put(r('r-1'), 'v', machine)).rejects.toMatchObject({
      name: 'DependencyError',
      operation: 'PutParameter',
      retryable: false,
      notApplied: true,
    });
    expect(emulator.calls().length - before).toBe(1);
  });

  it('reports a put throttled past the retries as not applied (nothing stored), and a put that timed out as possibly applied', async () => {
    emulator.faults.add({ action: 'PutParameter', code: 'ThrottlingException', times: MAX_ATTEMPTS });
    await expect(storeWith().put(r('r-throttled'), 'v', machine)).rejects.toMatchObject({
      retryable: true,
      notApplied: true,
    });
    expect(storedUnder(prefix)).toEqual([]);
    emulator.faults.clear();
    emulator.faults.add({ action: 'PutParameter', code: 'InternalServerError', times: MAX_ATTEMPTS });
    await expect(storeWith().put(r('r-5xx'), 'v', machine)).rejects.toMatchObject({
      retryable: true,
      notApplied: false,
    });
  });

  it('rejects a path prefix that SSM would refuse with a ConfigurationError', () => {
    const make = (pathPrefix: string) => new SsmSecretStore({ client, pathPrefix, clock: new ManualClock() });
    expect(() => make('hangar/runners')).toThrow(ConfigurationError);
    expect(() => make('/aws/runners')).toThrow(ConfigurationError);
    expect(make('/hangar/runners/').pathFor(r('a', null))).toBe('/hangar/runners/a');
  });

  it('refuses to name a secret after a runner id that list() could not map back', () => {
    expect(() => storeWith().pathFor(r('a.b'))).toThrow(/cannot name a secret/);
  });
});
