// Example builders for the scaling policy specs (kept out of src/testing: they name the
// values the examples in this folder reason about).
import type { PoolConfig, ScalerSettings } from '../config/pool-config';
import { InstanceId, JobId, PoolId, RunnerId, type IsoTime } from '../shared/brand';
import type { JobView, RunnerView } from './views';
import { poolConfig, scalerSettings } from '../testing/scaler-fixture';

/** A reusable org pool `linux` of owner `acme` with no windows or schedules. */
export function pool(overrides: Partial<PoolConfig> = {}): PoolConfig {
  const { id, ...rest } = overrides;
  return poolConfig({
    matching: { mode: 'subset', priority: 10 },
    namePrefix: 'hangar-linux-',
    ephemeral: false,
    ...rest,
    id: id ?? 'linux',
  });
}

export function settings(
  pools: readonly PoolConfig[],
  overrides: Partial<ScalerSettings> = {},
): ScalerSettings {
  return scalerSettings(pools, { jobRetryAfterMinutes: 5, ...overrides });
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
