import type { HandlerFactory } from './handler-set';
import type { InfrastructureOptions, LocalInfrastructure } from './infrastructure';
import type { SimulatedClock } from './sim-clock';

export interface ScheduleRates {
  /** Simulated seconds between runs; 0 turns a schedule off. */
  readonly scaleDown?: number;
  readonly pool?: number;
  readonly reconciler?: number;
  readonly binariesSyncer?: number;
}

export interface LocalControlPlaneOptions extends Omit<InfrastructureOptions, 'clock'> {
  readonly clock?: SimulatedClock;
  /** Builds the handlers; the default is the runtime's own composition root. */
  readonly handlers: HandlerFactory;
  /** Extra Lambda environment variables (e.g. `HANGAR_JOB_RETRY_AFTER_MINUTES`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Simulated seconds per `step()` (default 10). */
  readonly stepSeconds?: number;
  /** Simulated seconds from "running" to the runner process starting (default 30). */
  readonly bootDelaySeconds?: number;
  /** How long a machine's bootstrap waits for its secret (default 300 s). */
  readonly secretWaitSeconds?: number;
  /** SQS visibility timeout, simulated seconds (default as the module: 360 scale-up, 180 job-events). */
  readonly visibilityTimeoutSeconds?: number;
  /** Real ms after which a queue handler invocation is stopped, as Lambda would (default 20 000). */
  readonly invocationTimeoutMs?: number;
  /** The same for scheduled and instance-event invocations (default 60 000). */
  readonly scheduledTimeoutMs?: number;
  /** The same for the webhook (default 10 000, the module's webhook timeout). */
  readonly webhookTimeoutMs?: number;
  readonly schedules?: ScheduleRates;
  /** Concurrent scale-up invocations (Lambda's pollers; default 4). */
  readonly queueConcurrency?: number;
}

/**
 * Unique ids of the local deployment's runner roles: scale-up binds each secret to
 * `<id>:<instance or task id>`, and the runner agent reads only secrets bound to itself.
 */
export const LOCAL_RUNNER_ROLE_IDS = {
  ec2: 'AROALOCALRUNNERROLE1',
  fargate: 'AROALOCALTASKROLE001',
} as const;

/** The Lambda environment of the local deployment, in the variables the config loader reads. */
export function localEnvironment(
  infrastructure: LocalInfrastructure,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    AWS_REGION: infrastructure.region,
    HANGAR_TABLE_NAME: infrastructure.tableName,
    // One local plane per table: its name is the deployment's, as the module's prefix is in AWS.
    HANGAR_DEPLOYMENT: infrastructure.tableName,
    HANGAR_POOLS_PARAMETER: infrastructure.parameters.pools,
    HANGAR_SCALE_UP_QUEUE_URL: infrastructure.queues.scaleUp.url,
    HANGAR_JOB_EVENTS_QUEUE_URL: infrastructure.queues.jobEvents.url,
    HANGAR_WEBHOOK_SECRET_PARAMETER: infrastructure.parameters.webhookSecret,
    HANGAR_GITHUB_APPS_PARAMETER: infrastructure.parameters.apps,
    HANGAR_GITHUB_API_URL: infrastructure.fake.url,
    HANGAR_BINARIES_BUCKET: infrastructure.bucket,
    HANGAR_RUNNER_SECRET_PATH: '/hangar/runners',
    HANGAR_RUNNER_ROLE_ID: LOCAL_RUNNER_ROLE_IDS.ec2,
    HANGAR_RUNNER_TASK_ROLE_ID: LOCAL_RUNNER_ROLE_IDS.fargate,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_SERVICE_NAME: 'hangar-local',
    ...extra,
  };
}
