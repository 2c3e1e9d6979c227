import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { COMPUTE_CLIENT_RETRY, createSsmClient } from '@hangar/adapter-aws';
import type { AwsClients, AwsService, RuntimeOverrides } from './overrides';

/**
 * SDK client settings for one service. On AWS this is `{}`: the SDK reads AWS_REGION and the
 * function's role itself. Constructing a client makes no network call.
 */
function settingsFor(overrides: RuntimeOverrides, service: AwsService) {
  const aws = overrides.aws ?? {};
  const endpoint = aws.endpoints?.[service];
  return {
    ...(aws.region === undefined ? {} : { region: aws.region }),
    ...(aws.credentials === undefined ? {} : { credentials: { ...aws.credentials } }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

// One function per service, so a bundle only contains the SDK clients its handler's bindings use.
type Built<S extends AwsService> = (overrides: RuntimeOverrides) => AwsClients[S];

/** A client the composition builds, instrumented when the caller asks (X-Ray). */
const built = <C extends object>(o: RuntimeOverrides, client: C): C =>
  o.instrumentClient ? o.instrumentClient(client) : client;

export const dynamoDbClient: Built<'dynamodb'> = (o) =>
  o.aws?.clients?.dynamodb ?? built(o, new DynamoDBClient({ maxAttempts: 3, ...settingsFor(o, 'dynamodb') }));

export const sqsClient: Built<'sqs'> = (o) =>
  o.aws?.clients?.sqs ?? built(o, new SQSClient({ maxAttempts: 3, ...settingsFor(o, 'sqs') }));

/** Adaptive retry: Parameter Store's TPS is low and shared by every function at cold start. */
export const ssmClient: Built<'ssm'> = (o) =>
  o.aws?.clients?.ssm ?? built(o, createSsmClient(settingsFor(o, 'ssm')));

// Emulators serve buckets by path, not by virtual host.
export const s3Client: Built<'s3'> = (o) =>
  o.aws?.clients?.s3 ??
  built(o, new S3Client({ ...settingsFor(o, 's3'), forcePathStyle: o.aws?.endpoints?.s3 !== undefined }));

export const ec2Client: Built<'ec2'> = (o) =>
  o.aws?.clients?.ec2 ?? built(o, new EC2Client({ ...COMPUTE_CLIENT_RETRY, ...settingsFor(o, 'ec2') }));

export const ecsClient: Built<'ecs'> = (o) =>
  o.aws?.clients?.ecs ?? built(o, new ECSClient({ ...COMPUTE_CLIENT_RETRY, ...settingsFor(o, 'ecs') }));
