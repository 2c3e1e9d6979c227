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

/**
 * Instruments a client we build when the caller asks (X-Ray), and puts `overrides.beforeCall`
 * in front of every request attempt (in the
 * finalize step, below the retry middleware, so each retry is checked too), naming the call
 * `service.Operation`. Absent on AWS.
 */
function checked<C extends AwsClients[AwsService]>(client: C, o: RuntimeOverrides, service: AwsService): C {
  const instrumented = o.instrumentClient ? o.instrumentClient(client) : client;
  const beforeCall = o.beforeCall;
  if (beforeCall === undefined) return instrumented;
  (instrumented.middlewareStack as AwsClients['sqs']['middlewareStack']).add(
    (next, context) => async (args) => {
      beforeCall(`${service}.${context.commandName?.replace(/Command$/, '') ?? 'request'}`, args.input);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'hangarBeforeCall' },
  );
  return instrumented;
}

export const dynamoDbClient: Built<'dynamodb'> = (o) =>
  o.aws?.clients?.dynamodb ??
  checked(new DynamoDBClient({ maxAttempts: 3, ...settingsFor(o, 'dynamodb') }), o, 'dynamodb');

export const sqsClient: Built<'sqs'> = (o) =>
  o.aws?.clients?.sqs ?? checked(new SQSClient({ maxAttempts: 3, ...settingsFor(o, 'sqs') }), o, 'sqs');

/** Adaptive retry: Parameter Store's TPS is low and shared by every function at cold start. */
export const ssmClient: Built<'ssm'> = (o) =>
  o.aws?.clients?.ssm ?? checked(createSsmClient(settingsFor(o, 'ssm')), o, 'ssm');

// Emulators serve buckets by path, not by virtual host.
export const s3Client: Built<'s3'> = (o) =>
  o.aws?.clients?.s3 ??
  checked(
    new S3Client({ ...settingsFor(o, 's3'), forcePathStyle: o.aws?.endpoints?.s3 !== undefined }),
    o,
    's3',
  );

export const ec2Client: Built<'ec2'> = (o) =>
  o.aws?.clients?.ec2 ??
  checked(new EC2Client({ ...COMPUTE_CLIENT_RETRY, ...settingsFor(o, 'ec2') }), o, 'ec2');

export const ecsClient: Built<'ecs'> = (o) =>
  o.aws?.clients?.ecs ??
  checked(new ECSClient({ ...COMPUTE_CLIENT_RETRY, ...settingsFor(o, 'ecs') }), o, 'ecs');
