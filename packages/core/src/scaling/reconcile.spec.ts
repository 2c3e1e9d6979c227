import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BASE_TIME, jobViewArb, runnersArb, settingsArb, computeInstanceArb } from '../testing/arbitraries';
import { InstanceId, JobId, PoolId, RunnerId, type IsoTime } from '../shared/brand';
import { job, pool, runner, settings } from './policy-fixtures';
import { jobsNeedingRunner, orphanInstances, orphanRegistrations } from './reconcile';
import type { RunnerView } from './views';

const NOW = '2026-03-02T10:00:00.000Z';
const config = settings([pool()], { jobRetryAfterMinutes: 5, maxRunnerRequestsPerJob: 3 });
const request = (runnerId: string, at: IsoTime, attempt = 1) => ({
  runnerId: RunnerId(runnerId),
  poolId: PoolId('linux'),
  attempt,
  at,
});
const needs = (jobs: Parameters<typeof job>[], runners: RunnerView[] = []) =>
  jobsNeedingRunner({
    jobs: jobs.map((args) => job(...args)),
    runners: new Map(runners.map((r) => [r.runnerId, r])),
    settings: config,
    now: NOW,
  }).map(({ jobId, reason }) => ({ jobId, reason }));

describe('jobsNeedingRunner', () => {
  it('asks for a runner for a job queued past the retry time with no request', () => {
    expect(needs([[1, '2026-03-02T09:50:00.000Z']])).toEqual([{ jobId: '1', reason: 'no-runner' }]);
  });
  it('leaves a job alone before the retry time', () => {
    expect(needs([[1, '2026-03-02T09:57:00.000Z']])).toEqual([]);
  });
  it('leaves a job alone once GitHub would have cancelled it', () => {
    expect(needs([[1, '2026-03-01T09:00:00.000Z']])).toEqual([]);
  });
  it('leaves in-progress, completed and unroutable jobs alone', () => {
    expect(
      needs([
        [1, '2026-03-02T09:00:00.000Z', { status: 'in_progress' }],
        [2, '2026-03-02T09:00:00.000Z', { status: 'completed' }],
        [3, '2026-03-02T09:00:00.000Z', { unroutable: 'no-matching-pool' }],
      ]),
    ).toEqual([]);
  });
  it('stops at the request cap', () => {
    const requests = [
      request('a', '2026-03-02T09:01:00.000Z', 1),
      request('b', '2026-03-02T09:10:00.000Z', 2),
      request('c', '2026-03-02T09:20:00.000Z', 3),
    ];
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { requests }]])).toEqual([]);
  });
  it('waits the retry time after scale-up said no', () => {
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { lastRejectedAt: '2026-03-02T09:58:00.000Z' }]])).toEqual(
      [],
    );
  });
  it('retries when the latest runner failed to launch', () => {
    const requests = [request('a', '2026-03-02T09:55:00.000Z')];
    expect(
      needs([[1, '2026-03-02T09:00:00.000Z', { requests }]], [runner('a', { status: 'launch_failed' })]),
    ).toEqual([{ jobId: '1', reason: 'runner-failed' }]);
  });
  it('retries as interrupted when the latest runner is terminating after a spot interruption', () => {
    const requests = [request('a', '2026-03-02T09:55:00.000Z')];
    const r = runner('a', { status: 'terminating', terminationReason: 'spot-interruption' });
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { requests }]], [r])).toEqual([
      { jobId: '1', reason: 'runner-interrupted' },
    ]);
  });
  it('retries as stalled when the latest runner is still starting after the retry time', () => {
    const requests = [request('a', '2026-03-02T09:50:00.000Z')];
    const r = runner('a', { status: 'launching', online: false });
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { requests }]], [r])).toEqual([
      { jobId: '1', reason: 'runner-stalled' },
    ]);
  });
  it('retries when the latest runner is busy with another job past the retry time', () => {
    const requests = [request('a', '2026-03-02T09:50:00.000Z')];
    const r = runner('a', { status: 'busy', currentJobId: JobId(99) });
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { requests }]], [r])).toEqual([
      { jobId: '1', reason: 'runner-stalled' },
    ]);
  });
  it('leaves a job whose runner is busy with it', () => {
    const requests = [request('a', '2026-03-02T09:10:00.000Z')];
    const r = runner('a', { status: 'busy', currentJobId: JobId(1) });
    expect(needs([[1, '2026-03-02T09:00:00.000Z', { requests }]], [r])).toEqual([]);
  });

  it('never returns an in-progress or completed job, nor one at its request cap (property)', () => {
    fc.assert(
      fc.property(
        settingsArb,
        runnersArb(PoolId('pool-0'), BASE_TIME).chain((runners) =>
          fc.tuple(
            fc.constant(runners),
            // Job ids are unique in the index; duplicates would make `find` below pick the wrong one.
            fc.uniqueArray(
              jobViewArb(
                BASE_TIME,
                runners.map((r) => r.runnerId),
              ),
              { maxLength: 8, selector: (job) => job.jobId },
            ),
          ),
        ),
        (s, [runners, jobs]) => {
          const result = jobsNeedingRunner({
            jobs,
            runners: new Map(runners.map((r) => [r.runnerId, r])),
            settings: s,
            now: BASE_TIME,
          });
          for (const need of result) {
            const j = jobs.find((candidate) => candidate.jobId === need.jobId);
            expect(j?.status === 'queued' || j?.status === 'waiting').toBe(true);
            expect(j?.unroutable).toBeNull();
            // Requests whose runner ran another job do not count against the cap.
            const taken = j!.requests.filter((request) => {
              const runner = runners.find((r) => r.runnerId === request.runnerId);
              return runner !== undefined && (runner.jobsRun ?? 0) > 0 && runner.currentJobId !== j!.jobId;
            }).length;
            expect(need.maxAttempts).toBe(s.maxRunnerRequestsPerJob + taken);
            expect(j!.requests.length).toBeLessThan(need.maxAttempts);
          }
        },
      ),
    );
  });
});

describe('orphanInstances', () => {
  const known = runner('a', { instanceId: InstanceId('i-a') });
  const ended = runner('b', { status: 'terminated' });
  const runnerOf = (id: RunnerId) => [known, ended].find((r) => r.runnerId === id);
  const instance = (id: string, runnerId: string | null, launchedAt = '2026-03-02T09:00:00.000Z') => ({
    instanceId: InstanceId(id),
    runnerId: runnerId === null ? null : RunnerId(runnerId),
    poolId: PoolId('linux'),
    state: 'running' as const,
    launchedAt,
  });
  it('reports tagged machines whose runner is unknown or ended, and never untagged ones', () => {
    expect(
      orphanInstances({
        instances: [instance('i-a', 'a'), instance('i-b', 'b'), instance('i-x', 'x'), instance('i-u', null)],
        runnerOf,
        now: NOW,
        graceMinutes: 10,
      }),
    ).toEqual([
      { instanceId: 'i-b', reason: 'runner-ended' },
      { instanceId: 'i-x', reason: 'untracked' },
    ]);
  });
  it('leaves machines younger than the grace period', () => {
    expect(
      orphanInstances({
        instances: [instance('i-x', 'x', '2026-03-02T09:55:00.000Z')],
        runnerOf,
        now: NOW,
        graceMinutes: 10,
      }),
    ).toEqual([]);
  });
  it('never reports an untagged machine, nor the machine a live runner tracks (property)', () => {
    fc.assert(
      fc.property(
        runnersArb(PoolId('pool-0'), BASE_TIME).chain((runners) =>
          fc.tuple(
            fc.constant(runners),
            fc.array(
              computeInstanceArb(
                runners.map((r) => r.runnerId),
                BASE_TIME,
              ),
              { maxLength: 8 },
            ),
          ),
        ),
        ([runners, generated]) => {
          // Instance ids are unique in EC2; the generator may repeat one.
          const instances = generated.filter(
            (instance, index) =>
              generated.findIndex((other) => other.instanceId === instance.instanceId) === index,
          );
          const of = (id: RunnerId) => runners.find((r) => r.runnerId === id);
          for (const orphan of orphanInstances({
            instances,
            runnerOf: of,
            now: BASE_TIME,
            graceMinutes: 5,
          })) {
            const machine = instances.find((i) => i.instanceId === orphan.instanceId)!;
            expect(machine.runnerId).not.toBeNull();
            const owner = of(machine.runnerId!);
            expect(
              owner === undefined ||
                owner.status === 'terminated' ||
                owner.status === 'launch_failed' ||
                (owner.instanceId !== null && owner.instanceId !== machine.instanceId),
            ).toBe(true);
          }
        },
      ),
    );
  });
});

describe('orphanRegistrations', () => {
  const reg = (id: number, name: string, status: 'online' | 'offline' = 'offline', busy = false) => ({
    githubRunnerId: id,
    name,
    status,
    busy,
    labels: [],
  });
  it('reports offline idle registrations with our prefix and no live runner', () => {
    const live = runner('live', { runnerName: 'hangar-linux-live', status: 'requested' });
    const gone = runner('gone', { runnerName: 'hangar-linux-gone', status: 'terminated' });
    expect(
      orphanRegistrations({
        registrations: [
          reg(1, 'hangar-linux-live'),
          reg(2, 'hangar-linux-gone'),
          reg(3, 'hangar-linux-unknown'),
          reg(4, 'someone-else'),
          reg(5, 'hangar-linux-online', 'online'),
          reg(6, 'hangar-linux-busy', 'offline', true),
        ],
        runnersByName: new Map([live, gone].map((r) => [r.runnerName!, r])),
        namePrefixes: ['hangar-linux-'],
      }),
    ).toEqual([
      { githubRunnerId: 2, name: 'hangar-linux-gone' },
      { githubRunnerId: 3, name: 'hangar-linux-unknown' },
    ]);
  });
});
