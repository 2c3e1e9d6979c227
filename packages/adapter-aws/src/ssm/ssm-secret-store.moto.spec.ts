import { ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { ManualClock } from '@hangar/core/testing';
import { secretStoreContract } from '@hangar/core/testing/secret-store-contract';
import { describeWithMoto, motoEndpoint } from '@hangar/test-support/aws/moto';
import { ssmParameterReaderSemantics } from './parameter-reader-semantics';
import { semanticsClient, ssmSecretStoreSemantics } from './secret-store-semantics';
import { SsmSecretStore } from './ssm-secret-store';

// The SSM adapters' semantic cases and core's SecretStore contract against moto, an SSM
// written by others (the same cases run against our emulator in ssm-secret-store.spec.ts,
// ssm-secret-store.contract.spec.ts and ssm-parameter-reader.spec.ts).
const ROLE_ID = 'AROACONTRACTRUNNER1';
let stores = 0;

describeWithMoto('SSM adapters', () => {
  ssmSecretStoreSemantics('moto', {
    endpoint: motoEndpoint,
    noSizeLimits: 'moto stores values of any size in either tier; SSM allows 4 KB Standard, 8 KB Advanced',
  });
  ssmParameterReaderSemantics('moto', { endpoint: motoEndpoint });

  secretStoreContract('SsmSecretStore on moto', async () => {
    const client = semanticsClient({ endpoint: motoEndpoint });
    // moto is shared by every file of the run: each store gets a hierarchy of its own.
    stores += 1;
    const pathPrefix = `/hangar-contract/${process.pid}-${stores}/runners`;
    const store = new SsmSecretStore({
      client,
      pathPrefix,
      clock: new ManualClock(),
      runnerRoleIds: { ec2: ROLE_ID },
    });
    return {
      store,
      // What the runner role's IAM condition compares: the tag against the caller's aws:userid.
      isBoundTo: async (ref, reader) => {
        const { TagList } = await client.send(
          new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: store.pathFor(ref) }),
        );
        const principal = TagList?.find((tag) => tag.Key === 'hangar:principal')?.Value;
        return principal === `${ROLE_ID}:${reader.instanceId}`;
      },
      close: async () => client.destroy(),
    };
  });
});
