import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError } from '@hangar/core';
import { semanticsClient, type SsmBackend } from './secret-store-semantics';
import { SsmParameterReader } from './ssm-parameter-reader';

let suites = 0;

/**
 * What SsmParameterReader promises, through the SSM API only, so the same cases run against
 * the home-made emulator and against moto. Outages stay in the emulator's spec.
 */
export function ssmParameterReaderSemantics(name: string, backend: SsmBackend): void {
  describe(`SsmParameterReader semantics against ${name}`, () => {
    let client: SSMClient;
    let reader: SsmParameterReader;
    const root = `/hangar-reader/s${(suites += 1)}-${process.pid}`;

    beforeAll(async () => {
      client = semanticsClient(backend, 2);
      reader = new SsmParameterReader({ client });
      const put = (Name: string, Value: string, Type: 'String' | 'SecureString' = 'String') =>
        client.send(new PutParameterCommand({ Name: `${root}${Name}`, Value, Type }));
      await put('/config/pools', '{"pools":[{"id":"linux"}]}');
      await put('/github/webhook-secret', 'whsec', 'SecureString');
      await put('/ami/linux', 'ami-0abc');
      await put('/config/broken', '{not json');
    });
    afterAll(() => client.destroy());

    it('reads a SecureString decrypted by default', async () => {
      expect(await reader.readParameter(`${root}/github/webhook-secret`)).toBe('whsec');
    });

    it('returns the ciphertext, not the secret, when asked not to decrypt', async () => {
      const value = await reader.readParameter(`${root}/github/webhook-secret`, { decrypt: false });
      expect(value).not.toBe('whsec');
    });

    it('reads an AMI id published to a parameter and parses a JSON parameter', async () => {
      expect(await reader.readParameter(`${root}/ami/linux`)).toBe('ami-0abc');
      expect(await reader.readJson(`${root}/config/pools`)).toEqual({ pools: [{ id: 'linux' }] });
    });

    it('reports a missing parameter as a ConfigurationError naming it', async () => {
      const error = await reader.readParameter(`${root}/config/absent`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).problems).toEqual([
        `SSM parameter ${root}/config/absent does not exist`,
      ]);
    });

    it('reports invalid JSON as a ConfigurationError naming the parameter without quoting its value', async () => {
      const error = await reader.readJson(`${root}/config/broken`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(`${root}/config/broken`);
      expect((error as Error).message).not.toContain('{not json');
    });
  });
}
