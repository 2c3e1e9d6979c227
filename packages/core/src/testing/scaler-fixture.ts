/**
 * A whole scaler on in-memory twins: the use cases run exactly as in Lambda, against ports
 * that keep real state. For use-case specs and the offline policy simulations.
 */
import type { PoolConfig, ScalerSettings } from '../config/pool-config';
import { DEFAULT_SCALER_OPTIONS, type ReconcileDeps, type ScalerOptions } from '../application/deps';
import { RecentStreamCache } from '../application/recent-streams';
import { streams } from '../application/streams';
import type { JobEventMessage, ScaleUpMessage } from '../application/messages';
import type { WorkflowJobFact } from '../application/workflow-job-fact';
import { JobId, PoolId, toMillis, type IsoTime } from '../shared/brand';
import { IndexLag } from './index-lag';
import { InMemoryEventStore } from './in-memory-event-store';
import {
  InMemoryComputeProvider,
  InMemoryRunnerRegistry,
  InMemorySecretStore,
  ManualClock,
  RecordingLogger,
  RecordingMetrics,
  RecordingQueue,
  SequentialIds,
} from './twins';

export function poolConfig(overrides: Partial<Omit<PoolConfig, 'id'>> & { id?: string } = {}): PoolConfig {
  return {
    labels: ['self-hosted', 'linux', 'x64'],
    matching: { mode: 'subset', priority: 999 },
    level: 'org',
    owner: 'acme',
    namePrefix: '',
    ephemeral: true,
    maxRunners: 10,
    minimumRunningTimeMinutes: 5,
    bootTimeMinutes: 5,
    jobQueuedCheck: false,
    idleWindows: [],
    poolSchedules: [],
    compute: 'ec2',
    capacity: { type: 'spot', onDemandFailoverFor: [] },
    maxLaunchAttempts: 3,
    ...overrides,
    id: PoolId(overrides.id ?? 'linux'),
  };
}

export function scalerSettings(
  pools: readonly PoolConfig[],
  overrides: Partial<ScalerSettings> = {},
): ScalerSettings {
  return {
    pools,
    repositoryAllowList: [],
    jobRetryAfterMinutes: 10,
    maxRunnerRequestsPerJob: 3,
    jobQueueLimitMinutes: 1440,
    ...overrides,
  };
}

export interface ScalerFixture {
  readonly deps: ReconcileDeps;
  readonly store: InMemoryEventStore;
  readonly clock: ManualClock;
  readonly ec2: InMemoryComputeProvider;
  readonly fargate: InMemoryComputeProvider;
  readonly registry: InMemoryRunnerRegistry;
  readonly secrets: InMemorySecretStore;
  readonly scaleUpQueue: RecordingQueue<ScaleUpMessage>;
  readonly jobEventsQueue: RecordingQueue<JobEventMessage>;
  readonly logger: RecordingLogger;
  readonly metrics: RecordingMetrics;
  /** The index-lag fault, when the fixture was built with `indexLagMs`. */
  readonly indexLag: IndexLag | null;
}

export interface FixtureFaults {
  /**
   * Stream-index reads (`listOpen`, `findByLookupKey`) lag appends by this many ms of the
   * fixture's clock, as DynamoDB's GSIs may (testing/index-lag.ts). Stream reads stay consistent.
   */
  readonly indexLagMs?: number;
}

export function scalerFixture(
  settings: ScalerSettings,
  options: Partial<ScalerOptions> = {},
  faults: FixtureFaults = {},
): ScalerFixture {
  const clock = new ManualClock();
  const store = new InMemoryEventStore();
  const indexLag =
    faults.indexLagMs === undefined
      ? null
      : new IndexLag({ lagMs: faults.indexLagMs, now: () => toMillis(clock.now()) });
  const stored = indexLag ? indexLag.wrap(store) : store;
  const ec2 = new InMemoryComputeProvider('ec2', clock);
  const fargate = new InMemoryComputeProvider('fargate', clock);
  const registry = new InMemoryRunnerRegistry();
  const secrets = new InMemorySecretStore(clock);
  const scaleUpQueue = new RecordingQueue<ScaleUpMessage>();
  const jobEventsQueue = new RecordingQueue<JobEventMessage>();
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const deps: ReconcileDeps = {
    eventStore: stored,
    snapshots: stored,
    index: stored,
    streams: streams(30 * 24 * 60 * 60_000),
    compute: (kind) => (kind === 'ec2' ? ec2 : fargate),
    registry,
    recovery: registry,
    // Key lookups of events are consistent: never lagged, so the unwrapped store serves them.
    history: store,
    secrets,
    scaleUpQueue,
    jobEventsQueue,
    clock,
    ids: new SequentialIds(),
    logger,
    metrics,
    settings,
    options: { ...DEFAULT_SCALER_OPTIONS, ...options },
    // As the composition root builds it: every use case may find a stream as last seen.
    recent: new RecentStreamCache(),
  };
  return {
    deps,
    store,
    clock,
    ec2,
    fargate,
    registry,
    secrets,
    scaleUpQueue,
    jobEventsQueue,
    logger,
    metrics,
    indexLag,
  };
}

let delivery = 0;

/** A verified `workflow_job` fact as the webhook adapter would produce it. */
export function workflowJobFact(
  action: WorkflowJobFact['action'],
  jobId: number | string,
  at: IsoTime,
  overrides: Partial<WorkflowJobFact> = {},
): WorkflowJobFact {
  delivery += 1;
  return {
    deliveryId: `delivery-${delivery}`,
    action,
    jobId: JobId(jobId),
    runId: 1,
    runAttempt: 1,
    workflowName: 'ci',
    owner: 'acme',
    repo: 'app',
    labels: ['self-hosted', 'linux', 'x64'],
    at,
    runnerName: null,
    githubRunnerId: null,
    conclusion: action === 'completed' ? 'success' : null,
    installationId: 1,
    ...overrides,
  };
}
