import type { FakeGitHub } from '@hangar/test-support/github';
import { ec2Events, ecsEvent, type InstanceEventBridgeEvent } from './eventbridge';
import { FleetObserver } from './fleet-observer';
import type { HandlerFactory, HandlerSet } from './handler-set';
import { startInfrastructure, type InfrastructureOptions, type LocalInfrastructure } from './infrastructure';
import { buildReport, type ControlPlaneReport } from './report';
import { RunnerAgentSimulator } from './runner-agent';
import { ScheduleDriver, type Schedule } from './schedules';
import { SimulatedClock } from './sim-clock';
import { QueueDriver } from './sqs-driver';
import { startWebhookBridge, type WebhookBridge } from './webhook-bridge';

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
  /** SQS visibility timeout of both queues, simulated seconds (default 30). */
  readonly visibilityTimeoutSeconds?: number;
  /** Real ms after which a handler invocation counts as killed (default 20 000). */
  readonly invocationTimeoutMs?: number;
  readonly schedules?: ScheduleRates;
  /** Concurrent scale-up invocations (Lambda's pollers; default 4). */
  readonly queueConcurrency?: number;
}

export interface InstanceEventStats {
  delivered: number;
  failed: number;
}

/** A running local control plane; see `startLocalControlPlane`. */
export interface LocalControlPlane {
  readonly clock: SimulatedClock;
  readonly infrastructure: LocalInfrastructure;
  readonly fake: FakeGitHub;
  readonly handlers: HandlerSet;
  readonly agent: RunnerAgentSimulator;
  readonly observer: FleetObserver;
  readonly queues: { readonly scaleUp: QueueDriver; readonly jobEvents: QueueDriver };
  readonly schedules: ScheduleDriver;
  readonly webhook: WebhookBridge;
  readonly instanceEvents: InstanceEventStats;
  /** Advances the clock by one step (or `seconds`) and runs everything until it is quiet. */
  step(seconds?: number): Promise<void>;
  /** Runs everything due at the current time until nothing moves, without advancing the clock. */
  settle(): Promise<void>;
  /** Steps until `done()` holds; false if the simulated time limit passed first. */
  runUntil(done: () => boolean, limits: { readonly maxSimulatedMinutes: number }): Promise<boolean>;
  /** Jobs, fleet, API calls and events so far. */
  report(): Promise<ControlPlaneReport>;
  close(): Promise<void>;
}

const DEFAULT_RATES: Required<ScheduleRates> = {
  scaleDown: 60,
  pool: 60,
  reconciler: 120,
  binariesSyncer: 0,
};
/** Bound on settle rounds per step: each round is one hop of cause and effect. */
const MAX_ROUNDS = 50;

/** The Lambda environment of the local deployment, in the variables the config loader reads. */
export function localEnvironment(
  infrastructure: LocalInfrastructure,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    AWS_REGION: infrastructure.region,
    HANGAR_TABLE_NAME: infrastructure.tableName,
    HANGAR_POOLS_PARAMETER: infrastructure.parameters.pools,
    HANGAR_SCALE_UP_QUEUE_URL: infrastructure.queues.scaleUp.url,
    HANGAR_JOB_EVENTS_QUEUE_URL: infrastructure.queues.jobEvents.url,
    HANGAR_WEBHOOK_SECRET_PARAMETER: infrastructure.parameters.webhookSecret,
    HANGAR_GITHUB_APPS_PARAMETER: infrastructure.parameters.apps,
    HANGAR_GITHUB_API_URL: infrastructure.fake.url,
    HANGAR_BINARIES_BUCKET: infrastructure.bucket,
    HANGAR_RUNNER_SECRET_PATH: '/hangar/runners',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_SERVICE_NAME: 'hangar-local',
    ...extra,
  };
}

/**
 * Hangar's whole control plane in one process: the same eight handlers Lambda runs, against
 * DynamoDB Local, fauxqs, the EC2/ECS/SSM emulators and the fake GitHub, on one simulated
 * clock. A driver plays the parts AWS plays in production: API Gateway (webhook bridge), the
 * SQS event-source mappings, EventBridge schedules and EC2/ECS state-change rules; a runner
 * agent simulator plays the machines.
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const clock = options.clock ?? new SimulatedClock();
  const infrastructure = await startInfrastructure({ ...options, clock });
  const startedAtWall = Date.now();
  const startedAtSim = clock.nowMs();
  try {
    const environment = localEnvironment(infrastructure, options.environment);
    const handlers = await options.handlers(infrastructure, clock, environment);
    const { fake, ec2, ecs } = infrastructure;
    const webhook = await startWebhookBridge(handlers.webhook, () => clock.date());
    fake.setWebhook(infrastructure.app.appId, { url: webhook.url, secret: infrastructure.webhookSecret });

    const tagPrefix = 'hangar';
    const agent = new RunnerAgentSimulator({
      fake,
      ec2,
      ecs,
      ssm: infrastructure.runnerSsm,
      clock,
      tagPrefix,
      bootDelayMs: (options.bootDelaySeconds ?? 30) * 1000,
      secretWaitMs: (options.secretWaitSeconds ?? 300) * 1000,
    });
    const observer = new FleetObserver(ec2, ecs, tagPrefix);
    const pendingEvents: { event: InstanceEventBridgeEvent; attempts: number }[] = [];
    ec2.onStateChange((change) => {
      observer.onEc2Change(change);
      agent.onEc2Change(change);
      for (const event of ec2Events(change, infrastructure.region))
        pendingEvents.push({ event, attempts: 0 });
    });
    ecs.onStateChange((change) => {
      observer.onEcsChange(change);
      agent.onEcsChange(change);
      const task = ecs.tasks().find((t) => t.taskArn === change.taskArn);
      pendingEvents.push({ event: ecsEvent(change, task, infrastructure.region), attempts: 0 });
    });
    fake.subscribe((event) => agent.onGitHubEvent(event));

    const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    const queueDriver = (
      name: string,
      pair: LocalInfrastructure['queues']['scaleUp'],
      handler: HandlerSet['scaleUp'],
    ) =>
      new QueueDriver({
        name,
        wire: infrastructure.sqsWire,
        queueUrl: pair.url,
        queueArn: pair.arn,
        handler,
        clock,
        delays: infrastructure.delays,
        visibilityTimeoutSeconds,
        concurrency: options.queueConcurrency ?? 4,
        invocationTimeoutMs: options.invocationTimeoutMs ?? 20_000,
        region: infrastructure.region,
      });
    const queues = {
      scaleUp: queueDriver('scale-up', infrastructure.queues.scaleUp, handlers.scaleUp),
      jobEvents: queueDriver('job-events', infrastructure.queues.jobEvents, handlers.jobEvents),
    };

    const rates = { ...DEFAULT_RATES, ...options.schedules };
    const schedules: Schedule[] = [
      { name: 'scale-down', everySeconds: rates.scaleDown, handler: handlers.scaleDown },
      { name: 'pool', everySeconds: rates.pool, handler: handlers.pool },
      { name: 'reconciler', everySeconds: rates.reconciler, handler: handlers.reconciler },
      { name: 'binaries-syncer', everySeconds: rates.binariesSyncer, handler: handlers.binariesSyncer },
    ].filter((s) => s.everySeconds > 0);
    const scheduleDriver = new ScheduleDriver(schedules, () => clock.date(), infrastructure.region);
    const instanceEvents: InstanceEventStats = { delivered: 0, failed: 0 };

    /** EventBridge → instance-events; a failed async invoke is retried twice, as Lambda does. */
    const deliverInstanceEvents = async (): Promise<number> => {
      let delivered = 0;
      while (pendingEvents.length > 0) {
        const batch = pendingEvents.splice(0);
        for (const entry of batch) {
          delivered += 1;
          try {
            await handlers.instanceEvents(entry.event);
            instanceEvents.delivered += 1;
          } catch {
            if (entry.attempts < 2) pendingEvents.push({ ...entry, attempts: entry.attempts + 1 });
            else instanceEvents.failed += 1;
          }
        }
      }
      return delivered;
    };

    const settle = async (): Promise<void> => {
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        let activity = 0;
        const tick = fake.tick();
        activity += tick.completed.length + tick.assigned.length + tick.cancelled.length;
        await fake.webhooks.settle();
        ec2.advance();
        ecs.advance();
        activity += await deliverInstanceEvents();
        await agent.step();
        await fake.webhooks.settle();
        activity += await queues.jobEvents.pump();
        activity += await queues.scaleUp.pump();
        activity += await deliverInstanceEvents();
        if (activity === 0) return;
      }
    };

    const stepSeconds = options.stepSeconds ?? 10;
    const step = async (seconds = stepSeconds): Promise<void> => {
      clock.advance(seconds * 1000);
      observer.sampleIdle(fake, seconds / 60);
      await settle();
      await scheduleDriver.runDue();
      await settle();
    };

    const plane: LocalControlPlane = {
      clock,
      infrastructure,
      fake,
      handlers,
      agent,
      observer,
      queues,
      schedules: scheduleDriver,
      webhook,
      instanceEvents,
      step,
      settle,
      async runUntil(done, limits) {
        const deadline = clock.nowMs() + limits.maxSimulatedMinutes * 60_000;
        await settle();
        while (!done()) {
          if (clock.nowMs() >= deadline) return false;
          await step();
        }
        return true;
      },
      async report() {
        const maxRunnersByPool: Record<string, number> = {};
        for (const pool of options.pools) maxRunnersByPool[pool.id] = pool.maxRunners ?? -1;
        const aws: Record<string, Readonly<Record<string, number>>> = {};
        for (const [service, proxy] of Object.entries(infrastructure.proxies)) aws[service] = proxy.calls();
        return buildReport({
          jobs: fake.jobs(),
          fleet: observer.snapshot(),
          maxRunnersByPool,
          github: fake.calls(),
          aws,
          eventsWritten: infrastructure.eventsWritten(),
          deadLetters: {
            'scale-up': await infrastructure.sqsWire.depth(infrastructure.queues.scaleUp.dlqUrl),
            'job-events': await infrastructure.sqsWire.depth(infrastructure.queues.jobEvents.dlqUrl),
          },
          simulatedMinutes: (clock.nowMs() - startedAtSim) / 60_000,
          wallSeconds: (Date.now() - startedAtWall) / 1000,
        });
      },
      async close() {
        await webhook.close();
        await infrastructure.close();
      },
    };
    return plane;
  } catch (error) {
    await infrastructure.close();
    throw error;
  }
}
