import { describe, expect, it } from '@jest/globals';
import { InstanceId, JobId, PoolId, RunnerId, type IsoTime } from '../shared/brand';
import { job, pool, runner, settings } from './policy-fixtures';
import { jobsNeedingRunner, orphanInstances } from './reconcile';
import type { ComputeInstanceView, RunnerView } from './views';

// Rules of the reconciler's policies that reconcile.spec.ts does not pin: the other
// `runner-failed` cases, jobs waiting for approval, the request cap raised by runners other
// jobs took, and duplicate machines.
const NOW = '2026-03-02T10:00:00.000Z';
const config = settings([pool()], { jobRetryAfterMinutes: 5, maxRunnerRequestsPerJob: 2 });
const request = (runnerId: string, at: IsoTime, attempt = 1) => ({
  runnerId: RunnerId(runnerId),
  poolId: PoolId('linux'),
  attempt,
  at,
});
const needs = (jobs: ReturnType<typeof job>[], runners: RunnerView[] = []) =>
  jobsNeedingRunner({
    jobs,
    runners: new Map(runners.map((r) => [r.runnerId, r])),
    settings: config,
    now: NOW,
  });

describe('jobsNeedingRunner', () => {
  const queuedAt = '2026-03-02T09:40:00.000Z';
  const requested = (runnerId: string) =>
    job(1, queuedAt, { requests: [request(runnerId, '2026-03-02T09:58:00.000Z')] });

  it('serves a job waiting for environment approval like a queued one', () => {
    expect(needs([job(1, queuedAt, { status: 'waiting' })])).toEqual([
      { jobId: '1', reason: 'no-runner', maxAttempts: 2 },
    ]);
  });

  it('retries as runner-failed when the latest runner is unknown, before the retry time since the request', () => {
    expect(needs([requested('lost')])).toEqual([{ jobId: '1', reason: 'runner-failed', maxAttempts: 2 }]);
  });

  it('retries as runner-failed when the latest runner was terminated', () => {
    const r = runner('r1', { status: 'terminated', terminationReason: 'boot-timeout' });
    expect(needs([requested('r1')], [r])).toEqual([{ jobId: '1', reason: 'runner-failed', maxAttempts: 2 }]);
  });

  it('retries as runner-failed when the latest runner is terminating for a reason other than a spot interruption', () => {
    const r = runner('r1', { status: 'terminating', terminationReason: 'boot-timeout' });
    expect(needs([requested('r1')], [r])).toEqual([{ jobId: '1', reason: 'runner-failed', maxAttempts: 2 }]);
  });

  it('raises the request cap by each runner that ran another job, so a job at the plain cap is served again', () => {
    const took = (id: string) =>
      runner(id, { status: 'busy', jobsRun: 1, currentJobId: JobId(99), requestedForJobId: JobId(1) });
    const capped = job(1, queuedAt, {
      requests: [request('r1', '2026-03-02T09:41:00.000Z', 1), request('r2', '2026-03-02T09:50:00.000Z', 2)],
    });
    expect(needs([capped], [took('r1'), took('r2')])).toEqual([
      { jobId: '1', reason: 'runner-stalled', maxAttempts: 4 },
    ]);
  });

  it('keeps the plain cap when the runners failed without running a job', () => {
    const failed = (id: string) => runner(id, { status: 'launch_failed', jobsRun: 0 });
    const capped = job(1, queuedAt, {
      requests: [request('r1', '2026-03-02T09:41:00.000Z', 1), request('r2', '2026-03-02T09:50:00.000Z', 2)],
    });
    expect(needs([capped], [failed('r1'), failed('r2')])).toEqual([]);
  });
});

describe('orphanInstances', () => {
  const launchedAt = '2026-03-02T09:00:00.000Z';
  const machine = (id: string, runnerId: string | null, state: ComputeInstanceView['state'] = 'running') => ({
    instanceId: InstanceId(id),
    runnerId: runnerId === null ? null : RunnerId(runnerId),
    poolId: PoolId('linux'),
    state,
    launchedAt,
  });
  const orphans = (instances: ComputeInstanceView[], runners: RunnerView[]) =>
    orphanInstances({
      instances,
      runnerOf: (runnerId) => runners.find((r) => r.runnerId === runnerId),
      now: NOW,
      graceMinutes: 10,
    });

  it('reports a second machine of a live runner as a duplicate and leaves the machine it tracks', () => {
    const r = runner('r1', { instanceId: InstanceId('i-tracked') });
    expect(orphans([machine('i-tracked', 'r1'), machine('i-second', 'r1')], [r])).toEqual([
      { instanceId: 'i-second', reason: 'duplicate' },
    ]);
  });

  it('leaves a machine of a live runner that has not recorded its machine yet', () => {
    const r = runner('r1', { status: 'launching', instanceId: null, launchedAt: null });
    expect(orphans([machine('i-1', 'r1')], [r])).toEqual([]);
  });

  it('leaves stopping and terminated machines to finish on their own', () => {
    expect(orphans([machine('i-1', 'gone', 'stopping'), machine('i-2', 'gone', 'terminated')], [])).toEqual(
      [],
    );
  });

  it('reports a stopped machine of an ended runner: it still holds its volume', () => {
    const r = runner('r1', { status: 'terminated' });
    expect(orphans([machine('i-1', 'r1', 'stopped')], [r])).toEqual([
      { instanceId: 'i-1', reason: 'runner-ended' },
    ]);
  });
});
