// fast-check arbitraries for the scaling policies' inputs. Test code only: reusable by any
// package's property tests through `@hangar/core/testing/arbitraries`.
import fc from 'fast-check';
import type {
  IdleWindow,
  LabelMatchMode,
  PoolConfig,
  PoolSchedule,
  ScalerSettings,
} from '../config/pool-config';
import { InstanceId, JobId, PoolId, RunnerId, toIso, toMillis, type IsoTime } from '../shared/brand';
import type {
  ComputeInstanceView,
  JobStatus,
  JobView,
  RegisteredRunnerView,
  RunnerStatus,
  RunnerView,
} from '../scaling/views';

/** The instant every generated time is measured from: a Monday, 2026-03-02 09:00 UTC. */
export const BASE_TIME: IsoTime = '2026-03-02T09:00:00.000Z';

/** A small label vocabulary, so generated jobs and pools overlap often (mixed case on purpose). */
export const LABELS = ['self-hosted', 'linux', 'Linux', 'x64', 'arm64', 'gpu', 'large', 'docker'] as const;

/** Owners drawn from a tiny set so that owner matches and mismatches both occur. */
export const OWNERS = ['acme', 'ACME', 'globex'] as const;

/** An ISO time within `spanMinutes` before or after BASE_TIME, at whole seconds. */
export const isoTimeArb = (spanMinutes = 24 * 60): fc.Arbitrary<IsoTime> =>
  fc
    .integer({ min: -spanMinutes * 60, max: spanMinutes * 60 })
    .map((seconds) => toIso(toMillis(BASE_TIME) + seconds * 1000));

/** An ISO time `0..maxMinutes` before `at` (at whole seconds). */
export const timeBeforeArb = (at: IsoTime, maxMinutes: number): fc.Arbitrary<IsoTime> =>
  fc.integer({ min: 0, max: maxMinutes * 60 }).map((seconds) => toIso(toMillis(at) - seconds * 1000));

export const labelsArb = (minLength = 0, maxLength = 4): fc.Arbitrary<string[]> =>
  fc.uniqueArray(fc.constantFrom(...LABELS), { minLength, maxLength });

export const matchModeArb: fc.Arbitrary<LabelMatchMode> = fc.constantFrom('exact', 'subset', 'loose');

/** Valid 6-field crons: always-on windows, office hours, points, never-today patterns. */
export const cronArb: fc.Arbitrary<string> = fc.constantFrom(
  '* * * * * *',
  '* * 9-17 * * 1-5',
  '0 0 8 * * *',
  '0 */5 * * * *',
  '* * 0-6 * * 0,6',
  '30 15 10 1 1 *',
);

export const timeZoneArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'UTC',
  'Europe/Amsterdam',
  'America/New_York',
);

export const idleWindowArb: fc.Arbitrary<IdleWindow> = fc.record({
  cron: cronArb,
  timeZone: timeZoneArb,
  idleCount: fc.integer({ min: 0, max: 4 }),
  evictionStrategy: fc.constantFrom('oldest-first' as const, 'newest-first' as const),
});

export const poolScheduleArb: fc.Arbitrary<PoolSchedule> = fc.record({
  cron: cronArb,
  timeZone: timeZoneArb,
  size: fc.integer({ min: 0, max: 5 }),
});

const poolSettingsArb = (id: string) =>
  fc.record({
    id: fc.constant(PoolId(id)),
    labels: labelsArb(1, 4),
    matching: fc.record({ mode: matchModeArb, priority: fc.integer({ min: 0, max: 3 }) }),
    owner: fc.constantFrom(...OWNERS),
    namePrefix: fc.constant(`${id}-`),
    ephemeral: fc.boolean(),
    maxRunners: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 8 })),
    minimumRunningTimeMinutes: fc.integer({ min: 0, max: 30 }),
    bootTimeMinutes: fc.integer({ min: 1, max: 15 }),
    jobQueuedCheck: fc.boolean(),
    idleWindows: fc.array(idleWindowArb, { maxLength: 2 }),
    poolSchedules: fc.array(poolScheduleArb, { maxLength: 2 }),
    compute: fc.constantFrom('ec2' as const, 'fargate' as const),
    capacity: fc.record({
      type: fc.constantFrom('spot' as const, 'on-demand' as const),
      onDemandFailoverFor: fc.constant([] as string[]),
    }),
    maxLaunchAttempts: fc.integer({ min: 1, max: 3 }),
  });

/** A pool with the given id (ids must be unique within settings: see settingsArb). */
export const poolConfigArb = (id: string = 'pool-a'): fc.Arbitrary<PoolConfig> =>
  fc
    .tuple(
      fc.oneof(
        fc.constant({ level: 'org' as const }),
        fc.record({ level: fc.constant('repo' as const), repo: fc.constantFrom('web', 'api', 'Web') }),
      ),
      poolSettingsArb(id),
    )
    .map(([scope, settings]) => ({ ...settings, ...scope }));

/** Settings with 1..4 pools whose ids are unique (`pool-0`, `pool-1`, ...). */
export const settingsArb: fc.Arbitrary<ScalerSettings> = fc
  .integer({ min: 1, max: 4 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => poolConfigArb(`pool-${i}`))))
  .chain((pools) =>
    fc.record({
      pools: fc.constant(pools),
      repositoryAllowList: fc.constantFrom([] as string[], ['acme/web'], ['ACME/api', 'globex/web']),
      jobRetryAfterMinutes: fc.integer({ min: 1, max: 15 }),
      maxRunnerRequestsPerJob: fc.integer({ min: 1, max: 4 }),
      jobQueueLimitMinutes: fc.constant(24 * 60),
    }),
  );

/** A job's routing key: owner, repo and `runs-on` labels. */
export const jobKeyArb = fc.record({
  owner: fc.constantFrom(...OWNERS),
  repo: fc.constantFrom('web', 'api', 'WEB'),
  labels: labelsArb(0, 4),
});

export const runnerStatusArb: fc.Arbitrary<RunnerStatus> = fc.constantFrom(
  'requested',
  'launching',
  'launched',
  'idle',
  'busy',
  'terminating',
  'terminated',
  'launch_failed',
);

/**
 * A runner of `poolId` whose timestamps lie up to `maxAgeMinutes` before `now` and whose
 * fields are consistent with its status (launched runners have a launch time, busy ones a job).
 */
export const runnerViewArb = (
  poolId: PoolId,
  now: IsoTime = BASE_TIME,
  maxAgeMinutes = 120,
): fc.Arbitrary<RunnerView> =>
  fc
    .record({
      id: fc.integer({ min: 0, max: 10_000 }),
      status: runnerStatusArb,
      ephemeral: fc.boolean(),
      forJob: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
      requestedAt: timeBeforeArb(now, maxAgeMinutes),
      bootSeconds: fc.integer({ min: 0, max: 600 }),
      named: fc.boolean(),
    })
    .map(({ id, status, ephemeral, forJob, requestedAt, bootSeconds, named }) => {
      const launched = !['requested', 'launching', 'launch_failed'].includes(status);
      const launchedAt = launched
        ? toIso(Math.min(toMillis(requestedAt) + bootSeconds * 1000, toMillis(now)))
        : null;
      const online = ['idle', 'busy'].includes(status);
      const runnerId = RunnerId(`${poolId}-r${id}`);
      return {
        runnerId,
        poolId,
        status,
        ephemeral,
        requestedForJobId: forJob === null ? null : JobId(forJob),
        currentJobId: status === 'busy' ? JobId(forJob ?? 999) : null,
        requestedAt,
        launchedAt,
        idleSince: status === 'idle' ? launchedAt : null,
        online,
        instanceId: launched ? InstanceId(`i-${id}`) : null,
        runnerName: named || online ? `${runnerId}` : null,
        githubRunnerId: named || online ? id : null,
        terminationReason: status === 'terminating' || status === 'terminated' ? 'idle' : null,
      };
    });

/** 0..maxLength runners of one pool with distinct runner ids. */
export const runnersArb = (
  poolId: PoolId,
  now: IsoTime = BASE_TIME,
  maxLength = 12,
): fc.Arbitrary<RunnerView[]> =>
  fc.uniqueArray(runnerViewArb(poolId, now), { maxLength, selector: (runner) => runner.runnerId });

/** GitHub's view of a runner: usually agrees with ours, sometimes lags or disagrees. */
export const registrationOfArb = (runner: RunnerView): fc.Arbitrary<RegisteredRunnerView | null> =>
  fc.option(
    fc.record({
      githubRunnerId: fc.constant(runner.githubRunnerId ?? 0),
      name: fc.constant(runner.runnerName ?? String(runner.runnerId)),
      status: fc.constantFrom('online' as const, 'offline' as const),
      busy: fc.boolean(),
      labels: fc.constant(['self-hosted']),
    }),
    { nil: null, freq: 4 },
  );

/** Runners plus a registration map keyed by runner name (registrations may be missing). */
export const runnersWithRegistrationsArb = (
  poolId: PoolId,
  now: IsoTime = BASE_TIME,
): fc.Arbitrary<{ runners: RunnerView[]; registrations: Map<string, RegisteredRunnerView> }> =>
  runnersArb(poolId, now).chain((runners) =>
    fc.tuple(...runners.map(registrationOfArb)).map((registrations) => {
      const byName = new Map<string, RegisteredRunnerView>();
      registrations.forEach((registration, index) => {
        const runner = runners[index];
        if (registration && runner?.runnerName) byName.set(runner.runnerName, registration);
      });
      return { runners, registrations: byName };
    }),
  );

export const jobStatusArb: fc.Arbitrary<JobStatus> = fc.constantFrom(
  'queued',
  'waiting',
  'in_progress',
  'completed',
);

/**
 * A job queued up to `maxAgeMinutes` before `now` with 0..4 runner requests made after it was
 * queued; request runner ids come from `runnerIds` when given (so they can be looked up).
 */
export const jobViewArb = (
  now: IsoTime = BASE_TIME,
  runnerIds: readonly RunnerId[] = [],
  maxAgeMinutes = 60,
): fc.Arbitrary<JobView> =>
  fc
    .record({
      id: fc.integer({ min: 1, max: 1_000_000 }),
      status: jobStatusArb,
      key: jobKeyArb,
      queuedAt: timeBeforeArb(now, maxAgeMinutes),
      requestRunners: fc.array(
        runnerIds.length > 0
          ? fc.constantFrom(...runnerIds)
          : fc.integer({ min: 0, max: 99 }).map((n) => RunnerId(`r${n}`)),
        { maxLength: 4 },
      ),
      requestOffsets: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
      unroutable: fc.constantFrom(
        null,
        null,
        null,
        'no-matching-pool' as const,
        'repository-not-allowed' as const,
      ),
      rejectedAgo: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    })
    .map(({ id, status, key, queuedAt, requestRunners, requestOffsets, unroutable, rejectedAgo }) => {
      const queuedMs = toMillis(queuedAt);
      const nowMs = toMillis(now);
      let at = queuedMs;
      const requests = requestRunners.map((runnerId, index) => {
        // Requests are made in order, after the job was queued and not after `now`.
        at = Math.min(nowMs, at + (requestOffsets[index] ?? 0) * 6_000);
        return { runnerId, poolId: PoolId('pool-0'), attempt: index + 1, at: toIso(at) };
      });
      return {
        jobId: JobId(id),
        status,
        owner: key.owner,
        repo: key.repo,
        labels: key.labels,
        queuedAt,
        requests,
        unroutable,
        lastRejectedAt: rejectedAgo === null ? null : toIso(nowMs - rejectedAgo * 60_000),
      };
    });

export const computeInstanceArb = (
  runnerIds: readonly RunnerId[],
  now: IsoTime = BASE_TIME,
): fc.Arbitrary<ComputeInstanceView> =>
  fc.record({
    instanceId: fc.integer({ min: 0, max: 10_000 }).map((n) => InstanceId(`i-${n}`)),
    runnerId: fc.option(runnerIds.length > 0 ? fc.constantFrom(...runnerIds) : fc.constant(RunnerId('r-x')), {
      nil: null,
    }),
    poolId: fc.constant(PoolId('pool-0')),
    state: fc.constantFrom(
      'pending' as const,
      'running' as const,
      'stopping' as const,
      'stopped' as const,
      'terminated' as const,
    ),
    launchedAt: timeBeforeArb(now, 60),
  });
