// Example builders for the scaling policy specs (kept out of src/testing: they name the
// values the examples in this folder reason about).
import type { PoolConfig, ScalerSettings } from '../config/pool-config';
import { InstanceId, JobId, PoolId, RunnerId, type IsoTime } from '../shared/brand';
import type { JobView, RunnerView } from './views';

/** A reusable org pool `linux` of owner `acme` with no windows or schedules. */
export function pool(overrides: Partial<PoolConfig> = {}): PoolConfig {
  return {
    id: PoolId('linux'),
    labels: ['self-hosted', 'linux', 'x64'],
    matching: { mode: 'subset', priority: 10 },
    level: 'org',
    owner: 'acme',
    namePrefix: 'hangar-linux-',
    ephemeral: false,
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
  };
}

export function settings(
  pools: readonly PoolConfig[],
  overrides: Partial<ScalerSettings> = {},
): ScalerSettings {
  return {
    pools,
    repositoryAllowList: [],
    jobRetryAfterMinutes: 5,
    maxRunnerRequestsPerJob: 3,
    jobQueueLimitMinutes: 24 * 60,
    ...overrides,
  };
}

/** A runner of pool `linux`, idle and online since `launchedAt`, unless overridden. */
export function runner(id: string, overrides: Partial<RunnerView> = {}): RunnerView {
  return {
    runnerId: RunnerId(id),
    poolId: PoolId('linux'),
    status: 'idle',
    ephemeral: false,
    requestedForJobId: null,
    currentJobId: null,
    requestedAt: '2026-03-02T08:00:00.000Z',
    launchedAt: '2026-03-02T08:01:00.000Z',
    idleSince: '2026-03-02T08:02:00.000Z',
    online: true,
    instanceId: InstanceId(`i-${id}`),
    runnerName: `hangar-linux-${id}`,
    githubRunnerId: null,
    terminationReason: null,
    ...overrides,
  };
}

export function job(id: number, queuedAt: IsoTime, overrides: Partial<JobView> = {}): JobView {
  return {
    jobId: JobId(id),
    status: 'queued',
    owner: 'acme',
    repo: 'web',
    labels: ['self-hosted', 'linux'],
    queuedAt,
    requests: [],
    unroutable: null,
    lastRejectedAt: null,
    ...overrides,
  };
}
