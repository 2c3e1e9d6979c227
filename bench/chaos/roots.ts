import {
  configure,
  createInstanceEventsHandler,
  createJobEventsHandler,
  createPoolHandler,
  createReconcilerHandler,
  createScaleDownHandler,
  createScaleUpHandler,
  createWebhookHandler,
  Observability,
  type ParameterSource,
  type RuntimeConfiguration,
} from '@hangar/runtime-lambda';
import type { PoolInput } from '@hangar/runtime-lambda/local/infrastructure';
import { ConfigurationError, type ReconcileDeps } from '@hangar/core';

export const WEBHOOK_SECRET = 'chaos-webhook-secret';

/** The App key is parsed only when a GitHub client is built; the world replaces GitHub's port. */
const APP_KEY = '-----BEGIN PRIVATE KEY-----\nchaos\n-----END PRIVATE KEY-----';
const observability = new Observability({
  serviceName: 'hangar-chaos',
  logLevel: 'ERROR',
  metricsNamespace: 'Chaos',
});

/** The runtime's own configuration loading (environment + parameters, zod schemas) for `pools`. */
export async function chaosConfiguration(pools: readonly PoolInput[]): Promise<RuntimeConfiguration> {
  const values: Record<string, string> = {
    '/chaos/pools': JSON.stringify(pools),
    '/chaos/apps': JSON.stringify([{ appId: 1, privateKey: APP_KEY }]),
    '/chaos/webhook-secret': JSON.stringify([WEBHOOK_SECRET]),
  };
  const parameters: ParameterSource = {
    readParameter: async (name) => {
      const value = values[name];
      if (value === undefined) throw new ConfigurationError([`no parameter ${name}`]);
      return value;
    },
    readJson: async (name) => JSON.parse(await parameters.readParameter(name)) as unknown,
  };
  const env = {
    HANGAR_TABLE_NAME: 'chaos',
    HANGAR_DEPLOYMENT: 'chaos',
    HANGAR_POOLS_PARAMETER: '/chaos/pools',
    HANGAR_SCALE_UP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/scale-up',
    HANGAR_JOB_EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/job-events',
    HANGAR_WEBHOOK_SECRET_PARAMETER: '/chaos/webhook-secret',
    HANGAR_GITHUB_APPS_PARAMETER: '/chaos/apps',
    HANGAR_BINARIES_BUCKET: 'chaos',
    HANGAR_JOB_RETRY_AFTER_MINUTES: '5',
  };
  // Each function reads what it needs: the webhook the secrets, the others the rest.
  const [reconciler, webhook] = await Promise.all([
    configure(env, 'reconciler', parameters),
    configure(env, 'webhook', parameters),
  ]);
  return { ...reconciler, webhookSecrets: webhook.webhookSecrets };
}

/** The handlers as the simulated world invokes them, with events built to AWS's shapes. */
export interface ChaosHandlers {
  webhook(event: object): Promise<{ readonly statusCode?: number }>;
  scaleUp(
    event: object,
  ): Promise<{ readonly batchItemFailures: readonly { readonly itemIdentifier: string }[] }>;
  jobEvents(
    event: object,
  ): Promise<{ readonly batchItemFailures: readonly { readonly itemIdentifier: string }[] }>;
  scaleDown(event: object): Promise<unknown>;
  pool(event: object): Promise<unknown>;
  reconciler(event: object): Promise<unknown>;
  instanceEvents(event: object): Promise<unknown>;
}

type EventOf<H extends (event: never) => unknown> = Parameters<H>[0];

/** The handlers Lambda runs, each built around one invocation's deps (closures over a root). */
export function chaosHandlers(config: RuntimeConfiguration, deps: ReconcileDeps): ChaosHandlers {
  const root = { config, observability, afterInvocation: () => undefined, deps };
  const webhook = () => createWebhookHandler({ ...root, webhookSecrets: config.webhookSecrets });
  const scaleUp = () => createScaleUpHandler(root);
  const jobEvents = () => createJobEventsHandler(root);
  const scaleDown = () => createScaleDownHandler(root);
  const pool = () => createPoolHandler(root);
  const reconciler = () => createReconcilerHandler(root);
  const instanceEvents = () => createInstanceEventsHandler(root);
  return {
    webhook: (event) => webhook()(event as EventOf<ReturnType<typeof webhook>>),
    scaleUp: (event) => scaleUp()(event as EventOf<ReturnType<typeof scaleUp>>),
    jobEvents: (event) => jobEvents()(event as EventOf<ReturnType<typeof jobEvents>>),
    scaleDown: (event) => scaleDown()(event as EventOf<ReturnType<typeof scaleDown>>),
    pool: (event) => pool()(event as EventOf<ReturnType<typeof pool>>),
    reconciler: (event) => reconciler()(event as EventOf<ReturnType<typeof reconciler>>),
    instanceEvents: (event) => instanceEvents()(event as EventOf<ReturnType<typeof instanceEvents>>),
  };
}
