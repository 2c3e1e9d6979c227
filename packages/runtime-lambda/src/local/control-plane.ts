import type { FakeGitHub } from '@hangar/test-support/github';
import { ec2Events, ecsEvent } from './eventbridge';
import { EventBridgeBus, type InstanceEventStats } from './eventbridge-bus';
import { FleetObserver } from './fleet-observer';
import type { HandlerSet } from './handler-set';
import {
  LOCAL_RUNNER_ROLE_IDS,
  localEnvironment,
  type LocalControlPlaneOptions,
  type ScheduleRates,
} from './control-plane-options';

export type { LocalControlPlaneOptions, ScheduleRates } from './control-plane-options';
import { startInfrastructure, type LocalInfrastructure } from './infrastructure';
import { buildReport, type ControlPlaneReport } from './report';
import { completeDueReruns } from './rerun-durations';
import { RunnerAgentSimulator } from './runner-agent';
import { ScheduleDriver, type Schedule } from './schedules';
import { SimulatedClock } from './sim-clock';
import { QueueDriver } from './sqs-driver';
import { startWebhookBridge, type WebhookBridge } from './webhook-bridge';

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

/** The Terraform module's default rates (infra/modules/multi-runner/variables.tf). */
const DEFAULT_RATES: Required<ScheduleRates> = {
  scaleDown: 60,
  pool: 60,
  reconciler: 300,
  binariesSyncer: 3600,
};
/** Bound on settle rounds per step: each round is one hop of cause and effect. */
const MAX_ROUNDS = 50;

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
    const gate = infrastructure.invocations;
    const scheduled = { gate, timeoutMs: options.scheduledTimeoutMs ?? 60_000 };
    const webhook = await startWebhookBridge(handlers.webhook, () => clock.date(), {
      gate,
      timeoutMs: options.webhookTimeoutMs ?? 10_000,
    });
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
      roleIds: LOCAL_RUNNER_ROLE_IDS,
    });
    const observer = new FleetObserver(ec2, ecs, tagPrefix);
    const bus = new EventBridgeBus(handlers.instanceEvents, scheduled);
    ec2.onStateChange((change) => {
      observer.onEc2Change(change);
      agent.onEc2Change(change);
      for (const event of ec2Events(change, infrastructure.region)) bus.publish(event);
    });
    ecs.onStateChange((change) => {
      observer.onEcsChange(change);
      agent.onEcsChange(change);
      const task = ecs.tasks().find((t) => t.taskArn === change.taskArn);
      bus.publish(ecsEvent(change, task, infrastructure.region));
    });
    fake.subscribe((event) => agent.onGitHubEvent(event));

    // The module sets each queue's visibility timeout to 6 × its Lambda's timeout (60 s, 30 s).
    const queueDriver = (
      name: string,
      pair: LocalInfrastructure['queues']['scaleUp'],
      handler: HandlerSet['scaleUp'],
      visibilityTimeoutSeconds: number,
    ) =>
      new QueueDriver({
        name,
        wire: infrastructure.sqsWire,
        queueUrl: pair.emulatorUrl,
        queueArn: pair.arn,
        handler,
        clock,
        delays: infrastructure.delays,
        visibilityTimeoutSeconds,
        concurrency: options.queueConcurrency ?? 4,
        invocationTimeoutMs: options.invocationTimeoutMs ?? 20_000,
        gate,
        region: infrastructure.region,
      });
    const queues = {
      scaleUp: queueDriver(
        'scale-up',
        infrastructure.queues.scaleUp,
        handlers.scaleUp,
        options.visibilityTimeoutSeconds ?? 360,
      ),
      jobEvents: queueDriver(
        'job-events',
        infrastructure.queues.jobEvents,
        handlers.jobEvents,
        options.visibilityTimeoutSeconds ?? 180,
      ),
    };

    const rates = { ...DEFAULT_RATES, ...options.schedules };
    const schedules: Schedule[] = [
      { name: 'scale-down', everySeconds: rates.scaleDown, handler: handlers.scaleDown },
      { name: 'pool', everySeconds: rates.pool, handler: handlers.pool },
      { name: 'reconciler', everySeconds: rates.reconciler, handler: handlers.reconciler },
      { name: 'binaries-syncer', everySeconds: rates.binariesSyncer, handler: handlers.binariesSyncer },
    ].filter((s) => s.everySeconds > 0);
    const scheduleDriver = new ScheduleDriver(
      schedules,
      () => clock.date(),
      infrastructure.region,
      scheduled,
    );
    const settle = async (): Promise<void> => {
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        let activity = 0;
        const tick = fake.tick();
        activity += tick.completed.length + tick.assigned.length + tick.cancelled.length;
        activity += completeDueReruns(fake, clock.nowMs()).length;
        await fake.webhooks.settle();
        ec2.advance();
        ecs.advance();
        activity += await bus.deliver();
        await agent.step();
        await fake.webhooks.settle();
        activity += await queues.jobEvents.pump();
        activity += await queues.scaleUp.pump();
        activity += await bus.deliver();
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
      instanceEvents: bus.stats,
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
          dynamoDbByHandler: infrastructure.dynamoDbCalls.snapshot(),
          invocationsTimedOut: gate.stats.timedOut,
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
