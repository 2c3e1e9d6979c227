import { describe, expect, it } from '@jest/globals';
import { JobId, PoolId, RunnerId } from '../shared/brand';
import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { poolStreamId } from '../pool/pool.decider';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { InMemoryBinaryStore, RecordingLogger, RecordingMetrics } from '../testing/twins';
import type { RunnerReleaseAsset, RunnerReleaseSource } from '../ports/runner-registry';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { reconcile } from './reconcile';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp, type ScaleUpOutcome } from './scale-up';
import { syncRunnerBinaries } from './sync-runner-binaries';
import { topUpPools } from './top-up-pools';

const linux = poolConfig({ id: 'linux', maxRunners: 2 });

async function serveQueued(fx: ScalerFixture): Promise<ScaleUpOutcome[]> {
  const outcomes: ScaleUpOutcome[] = [];
  for (const message of fx.scaleUpQueue.take()) outcomes.push(await scaleUp(fx.deps, message, 'test'));
  return outcomes;
}

async function applyJobEvents(fx: ScalerFixture): Promise<void> {
  for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
}

async function queueJob(fx: ScalerFixture, jobId: number, overrides = {}): Promise<void> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now(), overrides));
}

async function runnerState(fx: ScalerFixture, runnerId: string) {
  return (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId))).state;
}

describe('webhook intake (recordWorkflowJob)', () => {
  it('a queued self-hosted job is recorded and sent to scale-up with the configured delay', async () => {
    const fx = scalerFixture(scalerSettings([linux]), { scaleUpDelaySeconds: 30 });
    const outcome = await recordWorkflowJob(fx.deps, workflowJobFact('queued', 1, fx.clock.now()));
    expect(outcome).toEqual({ kind: 'recorded', enqueued: true, duplicate: false });
    expect(fx.scaleUpQueue.sent).toEqual([
      expect.objectContaining({
        body: {
          kind: 'serve-job',
          jobId: '1',
          attempt: 1,
          reason: 'queued',
          // The job as the webhook wrote it: scale-up decides on it without reading it.
          job: { version: 1, state: expect.objectContaining({ status: 'queued', requests: [] }) },
        },
        delaySeconds: 30,
      }),
    ]);
  });

  it('a job for GitHub-hosted labels is ignored without writing anything', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const outcome = await recordWorkflowJob(
      fx.deps,
      workflowJobFact('queued', 2, fx.clock.now(), { labels: ['ubuntu-latest'] }),
    );
    expect(outcome.kind).toBe('ignored');
    expect((await fx.store.readStream(jobStreamId('2'))).version).toBe(0);
  });

  it('a GitHub-hosted job from a repository outside the allow-list is ignored, not recorded', async () => {
    const fx = scalerFixture(scalerSettings([linux], { repositoryAllowList: ['acme/other'] }));
    const outcome = await recordWorkflowJob(
      fx.deps,
      workflowJobFact('queued', 7, fx.clock.now(), { labels: ['ubuntu-latest'] }),
    );
    expect(outcome.kind).toBe('ignored');
    expect((await fx.store.readStream(jobStreamId('7'))).version).toBe(0);
  });

  it('a second machine tagged for a live runner is terminated by the reconciler as a duplicate', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 8);
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(8), 1);
    const extra = fx.ec2.addLeak(runnerId, PoolId('linux'), fx.clock.now());
    fx.clock.advanceMinutes(11);
    await reconcile(fx.deps, 'tick');
    const alive = (await fx.ec2.list()).map((m) => m.instanceId);
    expect(alive).not.toContain(extra);
    expect(alive).toHaveLength(1);
  });

  it('a job from a repository off the allow-list that one of our runners ran still moves that runner', async () => {
    const fx = scalerFixture(scalerSettings([linux], { repositoryAllowList: ['acme/other'] }));
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 9, fx.clock.now(), { runnerName: 'hgr-x' }),
    );
    expect(fx.jobEventsQueue.sent.map((m) => m.body)).toEqual([
      expect.objectContaining({ jobId: '9', action: 'in_progress', runnerName: 'hgr-x' }),
    ]);
  });

  it('a self-hosted job no pool serves is recorded as unroutable and not enqueued', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const outcome = await recordWorkflowJob(
      fx.deps,
      workflowJobFact('queued', 3, fx.clock.now(), { labels: ['self-hosted', 'gpu'] }),
    );
    expect(outcome).toEqual({ kind: 'unroutable', reason: 'no-matching-pool' });
    expect(fx.scaleUpQueue.sent).toHaveLength(0);
  });

  it('a repository outside the allow-list is recorded as not allowed', async () => {
    const fx = scalerFixture(scalerSettings([linux], { repositoryAllowList: ['acme/other'] }));
    const outcome = await recordWorkflowJob(fx.deps, workflowJobFact('queued', 4, fx.clock.now()));
    expect(outcome).toEqual({ kind: 'unroutable', reason: 'repository-not-allowed' });
  });

  it('a duplicate queued delivery leads to exactly one runner', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const fact = workflowJobFact('queued', 5, fx.clock.now());
    await recordWorkflowJob(fx.deps, fact);
    const again = await recordWorkflowJob(fx.deps, fact);
    expect(again).toMatchObject({ duplicate: true });
    await serveQueued(fx);
    expect(fx.ec2.alive()).toBe(1);
  });

  it('completed before in_progress still completes the job and forwards both runner facts', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 6);
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 6, fx.clock.now(), { runnerName: 'x' }));
    await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', 6, fx.clock.now(), { runnerName: 'x' }));
    const { state } = await read(fx.deps, fx.deps.streams.job, jobStreamId('6'));
    expect(state.status).toBe('completed');
    expect(fx.jobEventsQueue.sent.map((m) => m.body.action)).toEqual(['completed', 'in_progress']);
  });
});

describe('scale-up', () => {
  it('launches one runner, stores its JIT config and records the registration', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 10);
    const [outcome] = await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(10), 1);
    expect(outcome).toEqual({ kind: 'launched', runnerId, resumed: false });
    expect(fx.ec2.launches[0]).toMatchObject({
      idempotencyKey: `${runnerId}-1`,
      capacityType: 'spot',
      secretPath: expect.stringMatching(`^/hangar/runners/${runnerId}\\.[0-9a-f]{32}$`),
    });
    const secret = JSON.parse(fx.secrets.valueOf(runnerId) ?? '{}');
    expect(secret).toEqual({
      kind: 'jit',
      jitConfig: expect.stringMatching(`^jit:${runnerNameFor(linux, runnerId)}:`),
    });
    const state = await runnerState(fx, runnerId);
    expect(state.status).toBe('launched');
  });

  it('a redelivered scale-up message never launches a second machine', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 11);
    const [message] = fx.scaleUpQueue.take();
    await scaleUp(fx.deps, message!, 'first');
    const again = await scaleUp(fx.deps, message!, 'redelivery');
    expect(again.kind).toBe('already-launched');
    expect(fx.ec2.alive()).toBe(1);
    expect(fx.registry.calls.filter((c) => c === 'createJitConfig')).toHaveLength(1);
  });

  it('a crash between the launch and its record resumes by finding the machine its idempotency key started', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 12);
    const [message] = fx.scaleUpQueue.take();
    const append = fx.store.append.bind(fx.store);
    let crashed = false;
    fx.store.append = async (streamId, expected, events, options) => {
      if (!crashed && events.some((event) => event.type === 'RunnerLaunched')) {
        crashed = true;
        throw new Error('process killed');
      }
      return append(streamId, expected, events, options);
    };
    await expect(scaleUp(fx.deps, message!, 'first')).rejects.toThrow('process killed');
    await scaleUp(fx.deps, message!, 'redelivery');
    expect(fx.ec2.launches.map((l) => l.idempotencyKey)).toEqual([`${runnerIdForJob(JobId(12), 1)}-1`]);
    expect(fx.ec2.alive()).toBe(1);
    expect(await runnerState(fx, runnerIdForJob(JobId(12), 1))).toMatchObject({
      status: 'launched',
      machine: { instanceId: [...fx.ec2.machines.keys()][0] },
    });
  });

  it('at max runners the job waits on the pool without polling and is woken when a slot frees up', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    for (const id of [20, 21, 22]) await queueJob(fx, id);
    const outcomes = await serveQueued(fx);
    expect(outcomes.map((o) => o.kind)).toEqual(['launched', 'launched', 'waiting']);
    expect(fx.ec2.alive()).toBe(2);
    // No retry message: nothing reads the job or the pool again until a slot frees up.
    expect(fx.scaleUpQueue.take()).toEqual([]);
    const { state: job } = await read(fx.deps, fx.deps.streams.job, jobStreamId('22'));
    expect(job.status === 'queued' && job.lastRejectedAt).toBeTruthy();

    // Job 20's ephemeral runner runs and finishes: its slot is released and job 22 is woken.
    const name = runnerNameFor(linux, runnerIdForJob(JobId(20), 1));
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 20, fx.clock.now(), { runnerName: name }),
    );
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 20, fx.clock.now(), { runnerName: name }));
    await applyJobEvents(fx);
    expect(fx.ec2.alive()).toBe(1);
    expect(fx.scaleUpQueue.sent.at(-1)).toMatchObject({
      body: { kind: 'serve-job', jobId: '22', attempt: 1, wokenBy: 'linux' },
    });
    const later = await serveQueued(fx);
    expect(later.map((o) => o.kind)).toEqual(['launched']);
    expect(fx.ec2.alive()).toBe(2);
  });

  it('a woken job that needs no slot any more passes the wake-up to the next waiting job', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    for (const id of [60, 61, 62]) await queueJob(fx, id);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['launched', 'waiting', 'waiting']);
    // Job 61 is cancelled while it waits; job 60 finishes and frees the slot, waking job 61.
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 61, fx.clock.now()));
    const name = runnerNameFor(linux, runnerIdForJob(JobId(60), 1));
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 60, fx.clock.now(), { runnerName: name }));
    await applyJobEvents(fx);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['not-needed']);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['launched']);
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a job whose ephemeral runner ran another job is requested again as soon as that runner ends', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    await queueJob(fx, 70);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['launched']);
    // GitHub gives job 70's runner to job 69 (queued elsewhere, older): job 70 stays queued.
    const name = runnerNameFor(linux, runnerIdForJob(JobId(70), 1));
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 69, fx.clock.now(), { runnerName: name }));
    await applyJobEvents(fx);
    expect(fx.scaleUpQueue.take()).toEqual([
      expect.objectContaining({ jobId: '70', attempt: 2, reason: 'reconcile' }),
    ]);
  });

  it('the request sent again for a job whose runner was taken carries the job as read: scale-up does not read it again', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 2 })]));
    await queueJob(fx, 72);
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['launched']);
    const name = runnerNameFor(linux, runnerIdForJob(JobId(72), 1));
    await recordWorkflowJob(fx.deps, workflowJobFact('completed', 71, fx.clock.now(), { runnerName: name }));
    await applyJobEvents(fx);
    const readStream = fx.store.readStream.bind(fx.store);
    const reads: string[] = [];
    fx.store.readStream = (id, ...rest) => (reads.push(id), readStream(id, ...rest));
    expect((await serveQueued(fx)).map((o) => o.kind)).toEqual(['launched']);
    expect(reads.filter((id) => id === jobStreamId(JobId(72)))).toEqual([]);
  });

  it('when the waiting list is full, a job at max runners is deferred with a delay as before', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]), {
      maxWaitingJobsPerPool: 0,
    });
    for (const id of [23, 24]) await queueJob(fx, id);
    const outcomes = await serveQueued(fx);
    expect(outcomes.map((o) => o.kind)).toEqual(['launched', 'deferred']);
    expect(fx.scaleUpQueue.sent.at(-1)).toMatchObject({
      delaySeconds: 30,
      body: { jobId: '24', deferrals: 1 },
    });
  });

  it('on a queue that cannot delay a message (FIFO), a job at max runners with a full waiting list comes back through the visibility timeout', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]), {
      maxWaitingJobsPerPool: 0,
    });
    Object.assign(fx.scaleUpQueue, { acceptsDelay: false });
    for (const id of [25, 26]) await queueJob(fx, id);
    const outcomes = await serveQueued(fx);
    expect(outcomes.map((o) => o.kind)).toEqual(['launched', 'retry']);
    expect(fx.scaleUpQueue.take()).toEqual([]);
  });

  it('unlimited pools (-1) never defer', async () => {
    const unlimited = poolConfig({ id: 'linux', maxRunners: -1 });
    const fx = scalerFixture(scalerSettings([unlimited]));
    for (let id = 30; id < 45; id += 1) await queueJob(fx, id);
    const outcomes = await serveQueued(fx);
    expect(outcomes.every((o) => o.kind === 'launched')).toBe(true);
    expect(fx.ec2.alive()).toBe(15);
  });

  it('spot capacity errors listed for failover launch on-demand in the same attempt run', async () => {
    const pool = poolConfig({
      id: 'linux',
      capacity: { type: 'spot', onDemandFailoverFor: ['InsufficientInstanceCapacity'] },
    });
    const fx = scalerFixture(scalerSettings([pool]));
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'insufficient-capacity',
      retryable: true,
      errorCodes: ['InsufficientInstanceCapacity'],
      detail: 'no spot',
    });
    await queueJob(fx, 50);
    const [outcome] = await serveQueued(fx);
    expect(outcome?.kind).toBe('launched');
    expect(fx.ec2.launches.map((l) => l.capacityType)).toEqual(['spot', 'on-demand']);
    expect(fx.metrics.total('RunnerLaunchFailed')).toBe(1);
  });

  it('a retryable launch failure without failover asks for the message back', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'throttled',
      retryable: true,
      errorCodes: ['RequestLimitExceeded'],
      detail: 'slow down',
    });
    await queueJob(fx, 51);
    const [message] = fx.scaleUpQueue.take();
    expect((await scaleUp(fx.deps, message!, 'first')).kind).toBe('retry');
    expect((await scaleUp(fx.deps, message!, 'redelivery')).kind).toBe('already-launched');
    expect(fx.ec2.launches.map((l) => l.idempotencyKey.endsWith('-2'))).toEqual([false, true]);
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a configuration error fails the runner for good, frees its slot and tells the job', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: ['InvalidLaunchTemplateName.NotFoundException'],
      detail: 'no template',
    });
    await queueJob(fx, 52);
    const [outcome] = await serveQueued(fx);
    expect(outcome?.kind).toBe('gave-up');
    const { state: pool } = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
    expect(pool.alive).toBe(0);
    const { state: job } = await read(fx.deps, fx.deps.streams.job, jobStreamId('52'));
    expect(job.status === 'queued' && job.lastRejectedAt).toBeTruthy();
  });

  it('the job-queued check skips a job that waited past its threshold and GitHub already started', async () => {
    const pool = poolConfig({ id: 'linux', jobQueuedCheck: true });
    const fx = scalerFixture(scalerSettings([pool]));
    fx.registry.jobStatuses.set('53', { status: 'in_progress', conclusion: null });
    await queueJob(fx, 53);
    fx.clock.advanceSeconds(fx.deps.options.jobQueuedCheckAfterSeconds);
    const [outcome] = await serveQueued(fx);
    expect(outcome?.kind).toBe('not-needed');
    expect(fx.ec2.launches).toHaveLength(0);
  });

  it('a fresh job is launched without asking GitHub whether it is still queued (its cancellation would be on its stream)', async () => {
    const pool = poolConfig({ id: 'linux', jobQueuedCheck: true });
    const fx = scalerFixture(scalerSettings([pool]));
    await queueJob(fx, 55);
    const [outcome] = await serveQueued(fx);
    expect(outcome?.kind).toBe('launched');
    expect(fx.registry.calls.filter((call) => call === 'getJobStatus')).toEqual([]);
  });

  it('reusable runners get a registration token document instead of a JIT config', async () => {
    const pool = poolConfig({ id: 'linux', ephemeral: false, runnerGroup: 'ci' });
    const fx = scalerFixture(scalerSettings([pool]));
    await queueJob(fx, 54);
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(54), 1);
    expect(JSON.parse(fx.secrets.valueOf(runnerId) ?? '{}')).toMatchObject({
      kind: 'registration',
      url: 'https://github.com/acme',
      name: runnerNameFor(pool, runnerId),
      labels: pool.labels,
      runnerGroup: 'ci',
    });
  });
});

describe('job events (applyJobEvent)', () => {
  it('in_progress makes the runner busy and records queue-to-start latency', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 60);
    await serveQueued(fx);
    fx.clock.advanceSeconds(45);
    const runnerId = runnerIdForJob(JobId(60), 1);
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 60, fx.clock.now(), { runnerName: runnerNameFor(linux, runnerId) }),
    );
    await applyJobEvents(fx);
    expect((await runnerState(fx, runnerId)).status).toBe('busy');
    expect(fx.metrics.points.find((p) => p.name === 'QueueToOnlineSeconds')?.value).toBe(45);
  });

  it('a job event for a runner that is not ours changes nothing', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const outcome = await applyJobEvent(fx.deps, {
      jobId: JobId(61),
      action: 'in_progress',
      runnerName: 'someone-else',
      at: fx.clock.now(),
      deliveryId: 'd',
    });
    expect(outcome).toEqual({ kind: 'not-our-runner', runnerName: 'someone-else' });
  });
});

describe('scale-down', () => {
  const reusable = poolConfig({ id: 'linux', ephemeral: false, maxRunners: 5, minimumRunningTimeMinutes: 5 });

  async function idleRunner(fx: ScalerFixture, jobId: number): Promise<RunnerId> {
    await queueJob(fx, jobId);
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(jobId), 1);
    const name = runnerNameFor(reusable, runnerId);
    fx.registry.registrations.set(1000 + jobId, {
      githubRunnerId: 1000 + jobId,
      name,
      status: 'online',
      busy: false,
      labels: [],
      scope: 'acme',
    } as never);
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName: name }),
    );
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('completed', jobId, fx.clock.now(), { runnerName: name }),
    );
    await applyJobEvents(fx);
    return runnerId;
  }

  it('an idle reusable runner past its minimum running time is deregistered then terminated', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    const runnerId = await idleRunner(fx, 70);
    fx.clock.advanceMinutes(10);
    const report = await scaleDown(fx.deps, 'tick');
    expect(report.retired).toBe(1);
    expect(fx.ec2.alive()).toBe(0);
    expect(fx.registry.registrations.size).toBe(0);
    expect((await runnerState(fx, runnerId)).status).toBe('terminated');
    const { state: pool } = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
    expect(pool.alive).toBe(0);
  });

  it('a runner GitHub reports busy at deregistration is kept and marked busy', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    const runnerId = await idleRunner(fx, 71);
    fx.clock.advanceMinutes(10);
    // GitHub assigned it a job after our last event, before scale-down's delete call.
    const originalList = fx.registry.listRunners.bind(fx.registry);
    fx.registry.listRunners = async (scope) => {
      const listed = await originalList(scope);
      fx.registry.setRunner(runnerNameFor(reusable, runnerId), { busy: true });
      return listed;
    };
    const report = await scaleDown(fx.deps, 'tick');
    expect(report).toMatchObject({ retired: 0, keptBusy: 1 });
    expect(fx.ec2.alive()).toBe(1);
    expect((await runnerState(fx, runnerId)).status).toBe('busy');
  });

  it('a busy runner is never selected', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await queueJob(fx, 72);
    await serveQueued(fx);
    const name = runnerNameFor(reusable, runnerIdForJob(JobId(72), 1));
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 72, fx.clock.now(), { runnerName: name }),
    );
    await applyJobEvents(fx);
    fx.clock.advanceMinutes(600);
    expect((await scaleDown(fx.deps, 'tick')).retired).toBe(0);
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a runner that never came online is removed after its boot time', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 73);
    await serveQueued(fx);
    fx.clock.advanceMinutes(linux.bootTimeMinutes + 1);
    expect((await scaleDown(fx.deps, 'tick')).retired).toBe(1);
    expect(fx.ec2.alive()).toBe(0);
  });
});

describe('reconcile', () => {
  it('a queued job whose runner failed for good gets a new attempt after the retry window', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    fx.ec2.failNext({
      outcome: 'failed',
      reason: 'invalid-configuration',
      retryable: false,
      errorCodes: [],
      detail: 'bad',
    });
    await queueJob(fx, 80);
    await serveQueued(fx);
    fx.clock.advanceMinutes(11);
    const report = await reconcile(fx.deps, 'tick');
    expect(report.jobsRequeued).toBe(1);
    const [message] = fx.scaleUpQueue.take();
    expect(message).toMatchObject({ kind: 'serve-job', jobId: '80', attempt: 2, reason: 'reconcile' });
    await scaleUp(fx.deps, message!, 'r');
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a leaked tagged instance is terminated after the grace period, an untagged one never', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const leaked = fx.ec2.addLeak(RunnerId('ghost'), PoolId('linux'), fx.clock.now());
    const foreign = fx.ec2.addLeak(null, null, fx.clock.now());
    fx.clock.advanceMinutes(11);
    const report = await reconcile(fx.deps, 'tick');
    expect(report.instancesTerminated).toBe(1);
    const alive = (await fx.ec2.list()).map((m) => m.instanceId);
    expect(alive).toEqual([foreign]);
    expect(alive).not.toContain(leaked);
  });

  it('a secret nobody read is deleted once its runner is gone', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await fx.secrets.put({ runnerId: RunnerId('gone'), suffix: 'a'.repeat(32) }, 'jit', {
      compute: 'ec2',
      instanceId: fx.ec2.addLeak(null, null, fx.clock.now()),
    });
    fx.clock.advanceMinutes(11);
    expect((await reconcile(fx.deps, 'tick')).secretsDeleted).toBe(1);
  });

  it('failed webhook deliveries are redelivered within the API budget', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    fx.registry.redeliverable = 3;
    expect((await reconcile(fx.deps, 'tick')).deliveriesRedelivered).toBe(3);
  });
});

describe('instance events', () => {
  it('a spot interruption of a busy runner re-runs its job once GitHub reports it failed', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 90);
    await serveQueued(fx);
    const runnerId = runnerIdForJob(JobId(90), 1);
    const name = runnerNameFor(linux, runnerId);
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 90, fx.clock.now(), { runnerName: name }),
    );
    await applyJobEvents(fx);
    const instanceId = fx.ec2.launches.length > 0 ? [...fx.ec2.machines.keys()][0]! : '';
    await recordInstanceEvent(fx.deps, { kind: 'spot-interruption', instanceId, at: fx.clock.now() }, 'eb');
    await recordInstanceEvent(
      fx.deps,
      { kind: 'state-change', instanceId, state: 'terminated', at: fx.clock.now() },
      'eb',
    );
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('completed', 90, fx.clock.now(), { runnerName: name, conclusion: 'failure' }),
    );
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('completed', 90, fx.clock.now(), { runnerName: name, conclusion: 'failure' }),
    );
    expect(fx.registry.reruns).toEqual(['90']);
    expect((await runnerState(fx, runnerId)).status).toBe('terminated');
    const { state: pool } = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
    expect(pool.alive).toBe(0);
  });

  it('a rerun GitHub failed to accept does not fail the completed delivery and is asked for again on the next one', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await queueJob(fx, 91);
    await serveQueued(fx);
    const name = runnerNameFor(linux, runnerIdForJob(JobId(91), 1));
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 91, fx.clock.now(), { runnerName: name }),
    );
    await applyJobEvents(fx);
    const instanceId = [...fx.ec2.machines.keys()][0]!;
    await recordInstanceEvent(fx.deps, { kind: 'spot-interruption', instanceId, at: fx.clock.now() }, 'eb');
    const completed = workflowJobFact('completed', 91, fx.clock.now(), {
      runnerName: name,
      conclusion: 'failure',
    });
    fx.registry.failuresRemaining = 1;
    await expect(recordWorkflowJob(fx.deps, completed)).resolves.toMatchObject({ kind: 'recorded' });
    expect(fx.registry.reruns).toEqual([]);
    await recordWorkflowJob(fx.deps, completed);
    expect(fx.registry.reruns).toEqual(['91']);
  });

  it('an event about a machine that is not ours is ignored', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    expect(
      await recordInstanceEvent(
        fx.deps,
        { kind: 'spot-interruption', instanceId: 'i-unknown', at: fx.clock.now() },
        'eb',
      ),
    ).toEqual({ kind: 'not-our-instance' });
  });
});

describe('pool top-up', () => {
  it('requests runners up to the active schedule size, within max runners', async () => {
    const pool = poolConfig({
      id: 'linux',
      ephemeral: false,
      maxRunners: 3,
      poolSchedules: [{ cron: '* * * * * *', size: 5 }],
    });
    const fx = scalerFixture(scalerSettings([pool]));
    const report = await topUpPools(fx.deps, 'tick');
    expect(report.requested).toEqual({ linux: 3 });
    await serveQueued(fx);
    expect(fx.ec2.alive()).toBe(3);
    expect((await topUpPools(fx.deps, 'tick')).requested).toEqual({});
  });
});

describe('runner binaries syncer', () => {
  it('copies a release asset only when its version changed', async () => {
    const asset: RunnerReleaseAsset = {
      os: 'linux',
      arch: 'x64',
      version: '2.330.0',
      fileName: 'actions-runner-linux-x64-2.330.0.tar.gz',
      downloadUrl: 'https://example/x',
      sha256: 'a'.repeat(64),
    };
    let version = '2.330.0';
    const releases: RunnerReleaseSource = {
      latestAssets: async () => [{ ...asset, version }],
      download: async () => new Uint8Array([1, 2, 3]),
    };
    const binaries = new InMemoryBinaryStore();
    const deps = { releases, binaries, logger: new RecordingLogger(), metrics: new RecordingMetrics() };
    expect((await syncRunnerBinaries(deps, { includePrerelease: false })).copied).toEqual([
      'actions-runner-linux-x64.tar.gz',
    ]);
    expect((await syncRunnerBinaries(deps, { includePrerelease: false })).copied).toEqual([]);
    version = '2.331.0';
    expect((await syncRunnerBinaries(deps, { includePrerelease: false })).copied).toHaveLength(1);
    expect(binaries.puts).toBe(2);
  });
});
