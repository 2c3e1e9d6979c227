import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { DependencyError } from '@hangar/core';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { ssmParameterReaderSemantics } from './parameter-reader-semantics';
import { createSsmClient } from './ssm-client';
import { SsmParameterReader } from './ssm-parameter-reader';

let emulator: SsmEmulator;
let client: SSMClient;

beforeAll(async () => {
  emulator = await startSsmEmulator();
  client = createSsmClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
  });
  await client.send(
    new PutParameterCommand({ Name: '/hangar/ami/linux', Type: 'String', Value: 'ami-0abc' }),
  );
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.faults.clear());

// The semantic cases, also run against moto (ssm-secret-store.moto.spec.ts).
ssmParameterReaderSemantics('the SSM emulator', { endpoint: () => emulator.endpoint });

describe('SsmParameterReader against the SSM emulator: outages', () => {
  it('reports an SSM outage as a retryable DependencyError', async () => {
    emulator.faults.add({ action: 'GetParameter', code: 'InternalServerError', times: Infinity });
    const error = await new SsmParameterReader({ client })
      .readParameter('/hangar/ami/linux')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ dependency: 'ssm', operation: 'GetParameter', retryable: true });
  });
});
