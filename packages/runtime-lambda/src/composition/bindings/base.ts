import { DynamoDbEventStore, SqsMessageQueue, SsmParameterReader, SsmSecretStore } from '@hangar/adapter-aws';
import {
  ConfigurationError,
  RecentStreamCache,
  streams,
  type ComputeKind,
  type ComputeProvider,
  type JobEventMessage,
  type MessageQueue,
  type RunnerRegistry,
  type ScaleUpMessage,
} from '@hangar/core';
import type { Container } from 'inversify';
import { requireSetting, type RuntimeConfiguration } from '../../config/load';
import { Observability } from '../../observability/observability';
import { dynamoDbClient, sqsClient, ssmClient } from '../aws-clients';
import type { RuntimeOverrides } from '../overrides';
import { systemClock, randomIds } from '../system';
import { TOKENS } from '../tokens';

/**
 * What a function without compute bindings gets for `ScalerDeps.compute`: the webhook records
 * facts and enqueues work, it never launches or lists machines. Reaching this is a wiring bug.
 */
function noCompute(kind: ComputeKind): ComputeProvider {
  const fail = (): Promise<never> =>
    Promise.reject(new ConfigurationError([`compute (${kind}) is not wired into this function`]));
  return { kind, launch: fail, findByLaunchKey: fail, findByInstanceId: fail, terminate: fail, list: fail };
}

/** Bindings every handler shares: configuration, clock, ids, logs/metrics, event store, SSM, queues. */
export function bindBase(
  container: Container,
  config: RuntimeConfiguration,
  overrides: RuntimeOverrides,
): void {
  const env = config.environment;
  container.bind(TOKENS.configuration).toConstantValue(config);
  container.bind(TOKENS.overrides).toConstantValue(overrides);
  container.bind(TOKENS.clock).toConstantValue(overrides.clock ?? systemClock);
  container.bind(TOKENS.ids).toConstantValue(overrides.ids ?? randomIds);
  container.bind(TOKENS.observability).toConstantValue(
    new Observability({
      serviceName: env.serviceName,
      logLevel: env.logLevel,
      metricsNamespace: env.metricsNamespace,
    }),
  );
  container
    .bind(TOKENS.dynamoDbClient)
    .toDynamicValue(() => dynamoDbClient(overrides))
    .inSingletonScope();
  container
    .bind(TOKENS.sqsClient)
    .toDynamicValue(() => sqsClient(overrides))
    .inSingletonScope();
  container
    .bind(TOKENS.ssmClient)
    .toDynamicValue(() => ssmClient(overrides))
    .inSingletonScope();
  container.bind(TOKENS.streams).toConstantValue(streams(config.retentionMs));
  container
    .bind(TOKENS.eventStore)
    .toDynamicValue(
      (ctx) =>
        new DynamoDbEventStore({
          client: ctx.get(TOKENS.dynamoDbClient),
          tableName: requireSetting(env, 'tableName'),
          // Expiry stamping is best effort (the stream's events are already stored): log it.
          onExpiryFailure: (streamId, error) =>
            ctx
              .get(TOKENS.observability)
              .logger.warn('Stream expiry could not be stamped', { streamId, error }),
        }),
    )
    .inSingletonScope();
  container
    .bind(TOKENS.parameters)
    .toDynamicValue((ctx) => new SsmParameterReader({ client: ctx.get(TOKENS.ssmClient) }))
    .inSingletonScope();
  container
    .bind(TOKENS.secrets)
    .toDynamicValue(
      (ctx) =>
        new SsmSecretStore({
          client: ctx.get(TOKENS.ssmClient),
          pathPrefix: env.runnerSecretPath,
          ...(env.ssmKmsKeyId === undefined ? {} : { kmsKeyId: env.ssmKmsKeyId }),
          clock: ctx.get(TOKENS.clock),
          runnerRoleIds: {
            ...(env.runnerRoleId === undefined ? {} : { ec2: env.runnerRoleId }),
            ...(env.runnerTaskRoleId === undefined ? {} : { fargate: env.runnerTaskRoleId }),
          },
        }),
    )
    .inSingletonScope();
  container
    .bind(TOKENS.scaleUpQueue)
    .toDynamicValue(
      (ctx) =>
        new SqsMessageQueue<ScaleUpMessage>({
          client: ctx.get(TOKENS.sqsClient),
          queueUrl: requireSetting(env, 'scaleUpQueueUrl'),
        }),
    )
    .inSingletonScope();
  container
    .bind(TOKENS.jobEventsQueue)
    .toDynamicValue(
      (ctx) =>
        new SqsMessageQueue<JobEventMessage>({
          client: ctx.get(TOKENS.sqsClient),
          queueUrl: requireSetting(env, 'jobEventsQueueUrl'),
        }),
    )
    .inSingletonScope();
  bindScalerDeps(container, config, overrides);
}

/**
 * A queue resolved when a use case first sends to it: a function without that queue's URL
 * (scale-down never sends) starts fine, and a send without it fails naming the variable.
 */
function onFirstSend<M>(resolve: () => MessageQueue<M>): MessageQueue<M> {
  let queue: MessageQueue<M> | undefined;
  return {
    send: (messages, options) => {
      queue ??= resolve();
      return queue.send(messages, options);
    },
  };
}

function bindScalerDeps(
  container: Container,
  config: RuntimeConfiguration,
  overrides: RuntimeOverrides,
): void {
  container
    .bind(TOKENS.scalerDeps)
    .toDynamicValue((ctx) => {
      const stored = ctx.get(TOKENS.eventStore);
      const store = overrides.eventStore ? overrides.eventStore(stored) : stored;
      const observability = ctx.get(TOKENS.observability);
      const computeSelector = ctx.get(TOKENS.compute, { optional: true }) ?? noCompute;
      const registry: RunnerRegistry = ctx.get(TOKENS.registry);
      return {
        eventStore: store,
        snapshots: store,
        index: store,
        streams: ctx.get(TOKENS.streams),
        compute: computeSelector,
        registry,
        secrets: ctx.get(TOKENS.secrets),
        scaleUpQueue: onFirstSend(() => ctx.get(TOKENS.scaleUpQueue)),
        jobEventsQueue: onFirstSend(() => ctx.get(TOKENS.jobEventsQueue)),
        clock: ctx.get(TOKENS.clock),
        ids: ctx.get(TOKENS.ids),
        logger: observability.logger,
        metrics: observability.metrics,
        settings: config.settings,
        options: config.options,
        // One per container (the deps are a singleton): kept between warm invocations.
        recent: new RecentStreamCache(),
        ...(overrides.backoff === undefined ? {} : { backoff: overrides.backoff }),
      };
    })
    .inSingletonScope();
}
