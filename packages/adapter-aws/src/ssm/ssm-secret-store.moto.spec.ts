import { describeWithMoto, motoEndpoint } from '@hangar/test-support/aws/moto';
import { ssmParameterReaderSemantics } from './parameter-reader-semantics';
import { ssmSecretStoreSemantics } from './secret-store-semantics';

// The SSM adapters' semantic cases against moto, an SSM written by others (the same cases run
// against our emulator in ssm-secret-store.spec.ts and ssm-parameter-reader.spec.ts).
describeWithMoto('SSM adapters', () => {
  ssmSecretStoreSemantics('moto', {
    endpoint: motoEndpoint,
    noSizeLimits: 'moto stores values of any size in either tier; SSM allows 4 KB Standard, 8 KB Advanced',
  });
  ssmParameterReaderSemantics('moto', { endpoint: motoEndpoint });
});
