import {
  DEFAULT_SCALER_OPTIONS,
  RecentStreamCache,
  streams,
  toMillis,
  type JobEventMessage,
  type ReconcileDeps,
  type ScaleUpMessage,
} from '@hangar/core';
import { InMemorySecretStore, ManualClock, SequentialIds } from '@hangar/core/testing';
import { FastEventStore } from './world/fast-store';
import type { RuntimeConfiguration } from '@hangar/runtime-lambda';
import { FaultPlan } from './faults';
import { Invocation } from './invocation';
import { invocationDeps, type PortTargets } from './ports';
import type { Rng } from './rng';
import { chaosHandlers, type ChaosHandlers } from './roots';
import type { Topology } from './topology';
import { START_MS, Trace, Violations } from './trace';
import { CloudWorld } from './world/cloud';
import { GitHubWorld } from './world/github';
import { GitHubApi } from './world/github-api';
import { LaggingIndex } from './world/lagging-index';
import { SimQueue } from './world/sqs';

/** Logs of the handlers: kept in the trace (warnings and errors only, to stay cheap). */
function traceLogger(trace: Trace, id: () => string): ReconcileDeps['logger'] {
  const line = (level: string) => (message: string, attributes?: Readonly<Record<string, unknown>>) => {
    const detail = attributes?.error instanceof Error ? `: ${attributes.error.message}` : '';
    trace.add(`${id()} ${level} ${message}${detail}`);
  };
  return { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
}

/**
 * Everything one schedule runs against: the simulated clock, GitHub, the cloud, the queues,
 * the event store (with its lagging index) and the secret store, and the runtime's handlers
 * built per invocation over fault-injecting ports.
 */
export class ChaosWorld {
  readonly clock = new ManualClock(new Date(START_MS).toISOString());
  readonly nowMs = () => toMillis(this.clock.now());
  readonly trace: Trace;
  readonly violations: Violations;
  readonly plan: FaultPlan;
  readonly store = new FastEventStore();
  readonly index: LaggingIndex;
  readonly secrets = new InMemorySecretStore(this.clock);
  readonly scaleUp: SimQueue<ScaleUpMessage>;
  readonly jobEvents: SimQueue<JobEventMessage>;
  readonly github: GitHubWorld;
  readonly githubApi: GitHubApi;
  readonly cloud: CloudWorld;
  readonly maxByPool: ReadonlyMap<string, number>;
  /** Invocations that met no fault (a registration they issue twice is a race, not a retry). */
  readonly healthy = new Set<string>();
  readonly stats = { invocations: 0, killed: 0, faulted: 0 };
  readonly streams: ReconcileDeps['streams'];
  private readonly targets: PortTargets;
  private readonly base: ReconcileDeps;
  private nextInvocation = 0;
  /** Each function's warm containers and what each remembers of the streams (recent-streams.ts). */
  private readonly containers = new Map<string, RecentStreamCache[]>();
  private readonly containerRng: Rng;

  constructor(
    readonly topology: Topology,
    readonly config: RuntimeConfiguration,
    private readonly rng: Rng,
    traceLines = 600,
  ) {
    this.trace = new Trace(this.nowMs, traceLines);
    this.violations = new Violations(this.trace, this.nowMs);
    this.plan = new FaultPlan(topology.faults, rng);
    this.containerRng = rng.fork('containers');
    this.streams = streams(config.retentionMs);
    const lag = this.plan.stream('index-lag');
    this.index = new LaggingIndex(this.store, this.nowMs, () =>
      this.plan.strike('index-lag') ? lag.pick([2_000, 8_000, 20_000]) : 0,
    );
    const queueRng = rng.fork('sqs');
    this.scaleUp = new SimQueue('scale-up', this.nowMs, queueRng, this.plan, 360);
    this.jobEvents = new SimQueue('job-events', this.nowMs, queueRng, this.plan, 180);
    this.github = new GitHubWorld(this.nowMs, this.plan, rng.fork('github'), this.trace, this.violations);
    this.githubApi = new GitHubApi(this.github);
    this.maxByPool = new Map(
      config.settings.pools.map((p) => [p.id as string, p.maxRunners < 0 ? Infinity : p.maxRunners]),
    );
    this.cloud = new CloudWorld(
      this.nowMs,
      this.plan,
      this.github,
      this.secrets,
      this.trace,
      this.violations,
      this.maxByPool,
      rng.fork('machines'),
      (runnerId) =>
        this.store.eventsOf(`runner-${runnerId}`).some((e) => e.type === 'RunnerRegistrationIssued'),
      (runnerId, jobId) =>
        this.store
          .eventsOf(`runner-${runnerId}`)
          .some(
            (e) =>
              e.type === 'RunnerJobStarted' && String((e.data as { jobId: unknown }).jobId) === String(jobId),
          ),
    );
    this.targets = {
      store: this.store,
      index: this.index,
      secrets: this.secrets,
      scaleUp: this.scaleUp,
      jobEvents: this.jobEvents,
      cloud: this.cloud,
      github: this.githubApi,
    };
    this.base = {
      eventStore: this.store,
      snapshots: this.store,
      index: this.store,
      streams: this.streams,
      compute: (kind) => this.cloud.provider(kind),
      registry: this.githubApi,
      recovery: this.githubApi,
      secrets: this.secrets,
      scaleUpQueue: this.scaleUp,
      jobEventsQueue: this.jobEvents,
      clock: this.clock,
      ids: new SequentialIds(),
      logger: traceLogger(this.trace, () => 'world'),
      metrics: { add: () => undefined },
      settings: config.settings,
      options: { ...DEFAULT_SCALER_OPTIONS, ...config.options },
    };
  }

  /** A fresh invocation of `handler`, and the handlers built over its ports. */
  invocation(handler: string): { readonly inv: Invocation; readonly handlers: ChaosHandlers } {
    this.nextInvocation += 1;
    const crash = this.plan.strike('crash');
    const killAfter = crash ? this.plan.stream('crash').int(1, 12) : undefined;
    const inv = new Invocation(
      `${handler}#${this.nextInvocation}`,
      this.plan,
      this.rng,
      this.trace,
      killAfter,
    );
    this.stats.invocations += 1;
    const deps = invocationDeps(this.base, this.targets, inv);
    return {
      inv,
      handlers: chaosHandlers(this.config, {
        ...deps,
        recent: this.container(handler),
        logger: traceLogger(this.trace, () => inv.id),
      }),
    };
  }

  /**
   * The container an invocation of `handler` runs in: one of two warm ones, each remembering
   * the streams its invocations read or wrote, and now and then a cold one that remembers
   * nothing — so decisions on stale remembered states happen in every interleaving.
   */
  private container(handler: string): RecentStreamCache {
    const warm = this.containers.get(handler) ?? [new RecentStreamCache(), new RecentStreamCache()];
    this.containers.set(handler, warm);
    const at = this.containerRng.int(0, warm.length - 1);
    if (this.containerRng.chance(0.05)) warm[at] = new RecentStreamCache();
    return warm[at] as RecentStreamCache;
  }

  /** After an invocation: counts, and whether it stayed healthy. */
  finished(inv: Invocation): void {
    if (inv.dead) this.stats.killed += 1;
    if (inv.faults.length > 0) this.stats.faulted += 1;
    else this.healthy.add(inv.id);
  }
}
