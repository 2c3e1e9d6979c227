import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
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

describe('SsmSecretStore against the SSM emulator', () => {
  it('creates the secret as a SecureString at <prefix>/<runnerId>.<suffix> tagged with its machine, in one call', async () => {
    const store = storeWith();
    const before = emulator.calls().length;
    await store.put(r('r-1'), 'jit-config-1', machine);
    expect(store.pathFor(r('r-1'))).toBe(`${prefix}/r-1.${SUFFIX}`);
    expect(await store.get(r('r-1'))).toBe('jit-config-1');
    expect(storedUnder(prefix)).toEqual([
      expect.objectContaining({
        name: `${prefix}/r-1.${SUFFIX}`,
        type: 'SecureString',
        tier: 'Standard',
        keyId: 'alias/aws/ssm',
        tags: { 'hangar:principal': `AROAEC2RUNNERROLE01:i-0123456789abcdef0` },
      }),
    ]);
    const [call] = emulator.calls().slice(before);
    expect(call?.action).toBe('PutParameter');
    expect(call?.input).not.toHaveProperty('Overwrite');
  });

  it('binds a Fargate secret to the task role session, named after the task id', async () => {
    const task: SecretReader = {
      compute: 'fargate',
      instanceId: InstanceId(
        'arn:aws:ecs:us-east-1:123456789012:task/runners/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      ),
    };
    await storeWith().put(r('r-1'), 'jit', task);
    expect(storedUnder(prefix)[0]?.tags).toEqual({
      'hangar:principal': 'AROAFARGATETASKROLE:0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    });
  });

  it('a second put re-binds the secret to the new machine before it replaces the value', async () => {
    const store = storeWith();
    await store.put(r('r-1'), 'first', machine);
    const before = emulator.calls().length;
    await store.put(r('r-1'), 'second', other);
    expect(await store.get(r('r-1'))).toBe('second');
    expect(storedUnder(prefix)[0]).toMatchObject({
      version: 2,
      tags: { 'hangar:principal': 'AROAEC2RUNNERROLE01:i-0fedcba9876543210' },
    });
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

  it('uses the Advanced tier only for a value over 4 KB', async () => {
    const store = storeWith();
    await store.put(r('small', null), 'x'.repeat(4096), machine);
    await store.put(r('large', null), 'x'.repeat(6000), machine);
    expect(await store.get(r('large', null))).toHaveLength(6000);
    const tiers = Object.fromEntries(storedUnder(prefix).map((p) => [p.name.split('/').pop(), p.tier]));
    expect(tiers).toEqual({ small: 'Standard', large: 'Advanced' });
  });

  it('encrypts with the configured customer KMS key', async () => {
    await storeWith({ kmsKeyId: 'alias/hangar-runners' }).put(r('r-1'), 'v', machine);
    expect(storedUnder(prefix)[0]?.keyId).toBe('alias/hangar-runners');
  });

  it('returns null for a runner without a secret', async () => {
    expect(await storeWith().get(r('missing'))).toBeNull();
  });

  it('deletes a secret, and deleting it again succeeds', async () => {
    const store = storeWith();
    await store.put(r('r-1'), 'v', machine);
    await store.delete(r('r-1'));
    await expect(store.delete(r('r-1'))).resolves.toBeUndefined();
    expect(await store.get(r('r-1'))).toBeNull();
  });

  it('lists every runner secret across pages with its ref and LastModifiedDate, skipping nested parameters', async () => {
    const store = storeWith();
    const ids = Array.from({ length: 23 }, (_, i) => `r-${String(i).padStart(2, '0')}`);
    for (const id of ids) await store.put(r(id, id === 'r-00' ? null : SUFFIX), `secret-${id}`, machine);
    await client.send(
      new PutParameterCommand({ Name: `${prefix}/operator/keep`, Value: 'x', Type: 'String' }),
    );
    const before = emulator.calls().length;
    const listed = await store.list();
    expect(listed.map((s) => s.runnerId).sort()).toEqual(ids);
    expect(listed.find((s) => s.runnerId === 'r-00')?.suffix).toBeNull();
    expect(listed.find((s) => s.runnerId === 'r-01')?.suffix).toBe(SUFFIX);
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

  it('reports access denied as a non-retryable DependencyError without retrying', async () => {
    const store = storeWith();
    emulator.faults.add({ action: 'PutParameter', code: 'AccessDeniedException', times: Infinity });
    const before = emulator.calls().length;
    await expect(store.put(r('r-1'), 'v', machine)).rejects.toMatchObject({
      name: 'DependencyError',
      operation: 'PutParameter',
      retryable: false,
    });
    expect(emulator.calls().length - before).toBe(1);
  });

  it('reports a value too large for any tier as a non-retryable DependencyError', async () => {
    await expect(storeWith().put(r('r-1'), 'x'.repeat(9000), machine)).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
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
