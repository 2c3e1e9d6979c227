import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AddTagsToResourceCommand,
  DescribeParametersCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { InstanceId, RunnerId, type RunnerSecretRef, type SecretReader } from '@hangar/core';
import { ManualClock } from '@hangar/core/testing';
import { createSsmClient } from './ssm-client';
import { SsmSecretStore } from './ssm-secret-store';

/** Where the semantics run: our SSM emulator or moto. */
export interface SsmBackend {
  endpoint(): string;
  /**
   * Size limits the backend does not enforce, with the reason: the case then confirms the gap
   * (the put is accepted) instead, and the home-made emulator carries the case.
   */
  readonly noSizeLimits?: string;
}

/** A client for semantics, not timeouts: the first call to moto initialises its SSM backend. */
export function semanticsClient(backend: SsmBackend, maxAttempts = 1): SSMClient {
  return createSsmClient({
    endpoint: backend.endpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler: { requestTimeout: 30_000, throwOnRequestTimeout: true },
  });
}

let suites = 0;

const ROLES = { ec2: 'AROAEC2RUNNERROLE01', fargate: 'AROAFARGATETASKROLE' };
const SUFFIX = '0123456789abcdef0123456789abcdef';
const machine: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0123456789abcdef0') };
const other: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0fedcba9876543210') };
/** A runner's secret ref, with the spec's suffix unless given (null: a pre-suffix name). */
const ref = (id: string, suffix: string | null = SUFFIX): RunnerSecretRef => ({
  runnerId: RunnerId(id),
  suffix,
});

/**
 * What SsmSecretStore promises, checked only through the SSM API (DescribeParameters for
 * tier and key, ListTagsForResource for the machine binding), so the same cases run against the home-made emulator and against moto.
 * Faults, timeouts and call counts under injected errors stay in the emulator's spec.
 */
export function ssmSecretStoreSemantics(name: string, backend: SsmBackend): void {
  describe(`SsmSecretStore semantics against ${name}`, () => {
    let client: SSMClient;
    /** SSM operations this client sent, counted by a middleware on the real client. */
    const operations: string[] = [];
    let n = 0;
    const suite = (suites += 1);
    let prefix = '';

    beforeAll(() => {
      client = semanticsClient(backend);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          operations.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize', name: 'countOperations' },
      );
    });
    afterAll(() => client.destroy());

    const storeWith = (extra: { kmsKeyId?: string } = {}) => {
      n += 1;
      prefix = `/hangar-semantics/s${suite}-${process.pid}/t${n}/runners`;
      return new SsmSecretStore({
        client,
        pathPrefix: prefix,
        clock: new ManualClock(),
        runnerRoleIds: ROLES,
        ...extra,
      });
    };
    const described = async (parameterName: string) => {
      const out = await client.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [parameterName] }],
        }),
      );
      return out.Parameters?.[0];
    };
    const tagsOf = async (parameterName: string) => {
      const out = await client.send(
        new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: parameterName }),
      );
      return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key, t.Value]));
    };

    // put() recreates a secret whose re-tagging finds it gone: it relies on this answer
    // (AWS API reference, AddTagsToResource errors: InvalidResourceId).
    it('answers InvalidResourceId when a parameter that does not exist is tagged', async () => {
      storeWith();
      const tagging = client.send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: `${prefix}/never-written`,
          Tags: [{ Key: 'hangar:principal', Value: 'nobody' }],
        }),
      );
      await expect(tagging).rejects.toMatchObject({ name: 'InvalidResourceId' });
    });

    it('stores a runner secret as a Standard SecureString under the AWS key at <prefix>/<runnerId>.<suffix>, tagged with its machine', async () => {
      const store = storeWith();
      await store.put(ref('r-1'), 'jit-config-1', machine);
      expect(store.pathFor(ref('r-1'))).toBe(`${prefix}/r-1.${SUFFIX}`);
      expect(await store.get(ref('r-1'))).toBe('jit-config-1');
      expect(await described(`${prefix}/r-1.${SUFFIX}`)).toMatchObject({
        Type: 'SecureString',
        Tier: 'Standard',
        KeyId: 'alias/aws/ssm',
      });
      expect(await tagsOf(`${prefix}/r-1.${SUFFIX}`)).toEqual({
        'hangar:principal': `${ROLES.ec2}:i-0123456789abcdef0`,
      });
    });

    it('binds a Fargate secret to the task role session, named after the task id', async () => {
      const task: SecretReader = {
        compute: 'fargate',
        instanceId: InstanceId(
          'arn:aws:ecs:us-east-1:123456789012:task/runners/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        ),
      };
      await storeWith().put(ref('r-1'), 'jit', task);
      expect(await tagsOf(`${prefix}/r-1.${SUFFIX}`)).toEqual({
        'hangar:principal': `${ROLES.fargate}:0f1e2d3c4b5a69788796a5b4c3d2e1f0`,
      });
    });

    it('a second put replaces the value and re-binds the secret to the new machine', async () => {
      const store = storeWith();
      await store.put(ref('r-1'), 'first', machine);
      await store.put(ref('r-1'), 'second', other);
      expect(await store.get(ref('r-1'))).toBe('second');
      expect((await described(`${prefix}/r-1.${SUFFIX}`))?.Version).toBe(2);
      expect(await tagsOf(`${prefix}/r-1.${SUFFIX}`)).toEqual({
        'hangar:principal': `${ROLES.ec2}:i-0fedcba9876543210`,
      });
    });

    it('uses the Advanced tier only for a value over 4 KB', async () => {
      const store = storeWith();
      await store.put(ref('small', null), 'x'.repeat(4096), machine);
      await store.put(ref('large', null), 'x'.repeat(6000), machine);
      expect(await store.get(ref('large', null))).toHaveLength(6000);
      expect((await described(`${prefix}/small`))?.Tier).toBe('Standard');
      expect((await described(`${prefix}/large`))?.Tier).toBe('Advanced');
    });

    it('encrypts with the configured customer KMS key', async () => {
      await storeWith({ kmsKeyId: 'alias/hangar-runners' }).put(ref('r-1'), 'v', machine);
      expect((await described(`${prefix}/r-1.${SUFFIX}`))?.KeyId).toBe('alias/hangar-runners');
    });

    it('returns null for a runner without a secret, and deleting twice succeeds', async () => {
      const store = storeWith();
      expect(await store.get(ref('missing'))).toBeNull();
      await store.put(ref('r-1'), 'v', machine);
      await store.delete(ref('r-1'));
      await expect(store.delete(ref('r-1'))).resolves.toBeUndefined();
      expect(await store.get(ref('r-1'))).toBeNull();
    });

    it('lists every runner secret in pages of 10 with its ref and LastModifiedDate, skipping nested parameters', async () => {
      const store = storeWith();
      const ids = Array.from({ length: 23 }, (_, i) => `r-${String(i).padStart(2, '0')}`);
      for (const id of ids) await store.put(ref(id, id === 'r-00' ? null : SUFFIX), `secret-${id}`, machine);
      await client.send(
        new PutParameterCommand({ Name: `${prefix}/operator/keep`, Value: 'x', Type: 'String' }),
      );
      const before = operations.length;
      const listed = await store.list();
      expect(listed.map((s) => s.runnerId).sort()).toEqual(ids);
      expect(listed.find((s) => s.runnerId === 'r-00')?.suffix).toBeNull();
      expect(listed.find((s) => s.runnerId === 'r-01')?.suffix).toBe(SUFFIX);
      expect(operations.slice(before)).toEqual(Array(3).fill('GetParametersByPathCommand'));
      const modified = (await described(`${prefix}/r-00`))?.LastModifiedDate?.toISOString();
      expect(listed.find((s) => s.runnerId === RunnerId('r-00'))?.storedAt).toBe(modified);
    });

    const tooLarge = 'reports a value too large for any tier (over 8 KB) as a non-retryable DependencyError';
    if (backend.noSizeLimits === undefined) {
      it(tooLarge, async () => {
        await expect(storeWith().put(ref('r-1'), 'x'.repeat(9000), machine)).rejects.toMatchObject({
          name: 'DependencyError',
          retryable: false,
        });
      });
    } else {
      it(`cannot model "${tooLarge}" (${backend.noSizeLimits}): the gap is still there`, async () => {
        await expect(storeWith().put(ref('r-1'), 'x'.repeat(9000), machine)).resolves.toBeUndefined();
      });
    }
  });
}
