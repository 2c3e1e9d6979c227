import { describeWithMoto, motoEndpoint } from '@hangar/test-support/aws/moto';
import { s3BinaryStoreSemantics } from './binary-store-semantics';

// S3BinaryStore's semantic cases against moto's S3, written by others; the same cases run
// against fauxqs's S3 in s3-binary-store.spec.ts.
describeWithMoto('S3 adapter', () => {
  s3BinaryStoreSemantics('moto', { endpoint: motoEndpoint });
});
