import { ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { ManualClock } from '@hangar/core/testing';
import { secretStoreContract } from '@hangar/core/testing/secret-store-contract';
import { startSsmEmulator } from '@hangar/test-support/aws/ssm';
import { createSsmClient } from './ssm-client';
import { SsmSecretStore } from './ssm-secret-store';

const ROLE_ID = 'AROACONTRACTRUNNER1';

secretStoreContract('SsmSecretStore on the SSM emulator', async () => {
  const emulator = await startSsmEmulator();
  const client = createSsmClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const store = new SsmSecretStore({ client, clock: new ManualClock(), runnerRoleIds: { ec2: ROLE_ID } });
  return {
    store,
    // What the runner role's IAM condition compares: the tag against the caller's aws:userid,
    // which for an instance profile is "<role unique id>:<instance id>".
    isBoundTo: async (ref, reader) => {
      const { TagList } = await client.send(
        new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: store.pathFor(ref) }),
      );
      const principal = TagList?.find((tag) => tag.Key === 'hangar:principal')?.Value;
      return principal === `${ROLE_ID}:${reader.instanceId}`;
    },
    close: async () => {
      client.destroy();
      await emulator.stop();
    },
  };
});
