import type { HandlerName } from '../config/environment';
import { bindGitHubOnDemand } from '../composition/bindings/github-on-demand';
import { ALL_FEATURES, buildHandler, type RuntimeOverrides } from '../composition/index';
import type { HandlerRoots } from '../composition/roots';
import type { AsyncHandler } from '../observability/tracing';
import { createBinariesSyncerHandler } from './binaries-syncer';
import { createInstanceEventsHandler } from './instance-events';
import { createJobEventsHandler } from './job-events';
import { createPoolHandler } from './pool';
import { createReconcilerHandler } from './reconciler';
import { createScaleDownHandler } from './scale-down';
import { createScaleUpHandler } from './scale-up';
import { createWebhookHandler } from './webhook';

export { WEBHOOK_DEADLINE_MS } from './webhook';
export { RECORD_CONCURRENCY, processBatch } from './sqs-batch';
export { MalformedEventError, type InstanceEventsResult } from './instance-events';
export { parseInstanceEvent, type EventBridgeInput } from './instance-event-parser';
export type { ScheduleEvent } from './scheduled';
export type { InvocationContext } from './invocation';
export {
  createBinariesSyncerHandler,
  createInstanceEventsHandler,
  createJobEventsHandler,
  createPoolHandler,
  createReconcilerHandler,
  createScaleDownHandler,
  createScaleUpHandler,
  createWebhookHandler,
};

/** The eight handlers as the Lambda runtime would build them, each with its own container. */
export interface LambdaHandlers {
  readonly webhook: ReturnType<typeof createWebhookHandler>;
  readonly 'scale-up': ReturnType<typeof createScaleUpHandler>;
  readonly 'job-events': ReturnType<typeof createJobEventsHandler>;
  readonly 'scale-down': ReturnType<typeof createScaleDownHandler>;
  readonly pool: ReturnType<typeof createPoolHandler>;
  readonly reconciler: ReturnType<typeof createReconcilerHandler>;
  readonly 'instance-events': ReturnType<typeof createInstanceEventsHandler>;
  readonly 'binaries-syncer': ReturnType<typeof createBinariesSyncerHandler>;
}

/**
 * Builds every handler from one environment (each reads the variables it uses, as on AWS),
 * with the caller's overrides: emulator endpoints or SDK clients, the fake GitHub's URL, a
 * simulated clock. The local control plane runs these exact functions.
 */
export async function createLambdaHandlers(
  env: Readonly<Record<string, string | undefined>>,
  overrides: RuntimeOverrides = {},
): Promise<LambdaHandlers> {
  const build = <N extends HandlerName, F extends AsyncHandler>(
    name: N,
    create: (root: HandlerRoots[N]) => F,
  ) => buildHandler(name, env, overrides, ALL_FEATURES, create);
  const [webhook, scaleUp, jobEvents, scaleDown, pool, reconciler, instanceEvents, binariesSyncer] =
    await Promise.all([
      // Composed as its bundle's entry composes it (handlers/webhook.ts): its own GitHub client,
      // which only re-runs interrupted jobs, rather than the control plane's.
      buildHandler('webhook', env, overrides, [bindGitHubOnDemand], createWebhookHandler),
      build('scale-up', createScaleUpHandler),
      build('job-events', createJobEventsHandler),
      build('scale-down', createScaleDownHandler),
      build('pool', createPoolHandler),
      build('reconciler', createReconcilerHandler),
      build('instance-events', createInstanceEventsHandler),
      build('binaries-syncer', createBinariesSyncerHandler),
    ]);
  return {
    webhook,
    'scale-up': scaleUp,
    'job-events': jobEvents,
    'scale-down': scaleDown,
    pool,
    reconciler,
    'instance-events': instanceEvents,
    'binaries-syncer': binariesSyncer,
  };
}
