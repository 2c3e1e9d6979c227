import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RunnerSecretRef, SecretReader, SecretStore } from '../ports/secret-store';
import { InstanceId, RunnerId } from '../shared/brand';

/** What each run of the contract needs: a fresh store over a fresh backend. */
export interface SecretStoreContractSubject {
  readonly store: SecretStore;
  /**
   * Whether the backend lets `reader` (and nobody else it was asked about) read the secret
   * at `ref`, as it records the binding (the twin's reader, or the SSM tag IAM compares).
   */
  isBoundTo(ref: RunnerSecretRef, reader: SecretReader): Promise<boolean>;
  close(): Promise<void>;
}

let sequence = 0;

/**
 * The behaviour every `SecretStore` promises (see ports/secret-store.ts), as jest specs, run
 * against the in-memory twin and the SSM adapter on its loopback emulator.
 */
export function secretStoreContract(name: string, setup: () => Promise<SecretStoreContractSubject>): void {
  describe(`SecretStore contract: ${name}`, () => {
    let subject: SecretStoreContractSubject;
    let ref: RunnerSecretRef;
    const machineA: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0aaaaaaaaaaaaaaa1') };
    const machineB: SecretReader = { compute: 'ec2', instanceId: InstanceId('i-0bbbbbbbbbbbbbbb2') };

    beforeEach(async () => {
      subject = await setup();
      sequence += 1;
      ref = { runnerId: RunnerId(`contract-${sequence}`), suffix: sequence.toString(16).padStart(32, '7') };
    });
    afterEach(async () => {
      await subject.close();
    });

    it('stores a value it reads back at the same ref', async () => {
      await subject.store.put(ref, 'jit-1', machineA);
      expect(await subject.store.get(ref)).toBe('jit-1');
    });

    it('names a secret by its runner and suffix, and the legacy name by the runner alone', () => {
      const other = { ...ref, suffix: 'f'.repeat(32) };
      expect(subject.store.pathFor(ref)).toMatch(new RegExp(`/${ref.runnerId}\\.${ref.suffix}$`));
      expect(subject.store.pathFor(other)).not.toEqual(subject.store.pathFor(ref));
      expect(subject.store.pathFor({ ...ref, suffix: null })).toMatch(new RegExp(`/${ref.runnerId}$`));
    });

    it('finds nothing under a guessed name: the same runner with another suffix, or none', async () => {
      await subject.store.put(ref, 'jit-1', machineA);
      expect(await subject.store.get({ ...ref, suffix: 'f'.repeat(32) })).toBeNull();
      expect(await subject.store.get({ ...ref, suffix: null })).toBeNull();
    });

    it('binds the secret to the machine it was put for, and to no other', async () => {
      await subject.store.put(ref, 'jit-1', machineA);
      expect(await subject.isBoundTo(ref, machineA)).toBe(true);
      expect(await subject.isBoundTo(ref, machineB)).toBe(false);
    });

    it('a second put replaces the value and re-binds it to the new machine', async () => {
      await subject.store.put(ref, 'jit-1', machineA);
      await subject.store.put(ref, 'jit-2', machineB);
      expect(await subject.store.get(ref)).toBe('jit-2');
      expect(await subject.isBoundTo(ref, machineB)).toBe(true);
      expect(await subject.isBoundTo(ref, machineA)).toBe(false);
    });

    it('answers null for a missing secret, and deleting it (again) succeeds', async () => {
      expect(await subject.store.get(ref)).toBeNull();
      await subject.store.put(ref, 'jit-1', machineA);
      await subject.store.delete(ref);
      await expect(subject.store.delete(ref)).resolves.toBeUndefined();
      expect(await subject.store.get(ref)).toBeNull();
    });

    it('lists every secret with the ref it was stored under, legacy names included', async () => {
      const legacy = { runnerId: RunnerId(`${ref.runnerId}-legacy`), suffix: null };
      await subject.store.put(ref, 'jit-1', machineA);
      await subject.store.put(legacy, 'jit-2', machineB);
      const listed = await subject.store.list();
      const refs = listed.map(({ runnerId, suffix }) => ({ runnerId, suffix }));
      expect(refs).toEqual(expect.arrayContaining([ref, legacy]));
      for (const secret of listed) expect(secret.storedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });
  });
}
