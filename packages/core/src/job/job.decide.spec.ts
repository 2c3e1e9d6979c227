import { describe, it, expect } from '@jest/globals';
import { JobId, PoolId, RunnerId } from '../shared/brand';
import { deciderSpec } from '../testing/decider-spec';
import type { JobCommand } from './job.commands';
import { jobDecider } from './job.decider';
import type { JobEvent, JobInfo } from './job.events';
import { fold } from '../shared/decider';

const jobId = JobId(4_200_000_001);
const info: JobInfo = {
  jobId,
  runId: '900',
  owner: 'acme',
  repo: 'app',
  labels: ['self-hosted', 'linux'],
  installationId: 11,
  name: 'build',
};
const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T10:01:00.000Z';
const T2 = '2026-01-01T10:02:00.000Z';
const T3 = '2026-01-01T10:03:00.000Z';
const runnerA = RunnerId('r-a');
const runnerB = RunnerId('r-b');
const pool = PoolId('linux-x64');

const queued: JobEvent = { type: 'JobQueued', data: { ...info, queuedAt: T0 } };
const waiting: JobEvent = { type: 'JobWaiting', data: { at: T1 } };
const started: JobEvent = {
  type: 'JobStarted',
  data: { runnerName: 'hangar-r-a', githubRunnerId: 77, startedAt: T2 },
};
const completed = (conclusion = 'success'): JobEvent => ({
  type: 'JobCompleted',
  data: { conclusion, runnerName: null, completedAt: T3 },
});
const interrupted: JobEvent = { type: 'JobInterrupted', data: { runnerId: runnerA, at: T2 } };
const requested = (attempt: number, runnerId = runnerA): JobEvent => ({
  type: 'RunnerRequestedForJob',
  data: { runnerId, poolId: pool, attempt, reason: 'queued', requestedAt: T1 },
});

const recordQueued: JobCommand = { type: 'RecordJobQueued', data: { ...info, queuedAt: T0 } };
const recordWaiting: JobCommand = { type: 'RecordJobWaiting', data: { at: T1 } };
const recordStarted: JobCommand = {
  type: 'RecordJobStarted',
  data: { runnerName: 'hangar-r-a', githubRunnerId: 77, startedAt: T2 },
};
const recordCompleted = (conclusion = 'success', runnerName: string | null = null): JobCommand => ({
  type: 'RecordJobCompleted',
  data: { conclusion, runnerName, completedAt: T3 },
});
const recordInterrupted: JobCommand = { type: 'RecordJobInterrupted', data: { runnerId: runnerA, at: T2 } };
const requestRunner = (attempt: number, runnerId = runnerA, maxAttempts = 3): JobCommand => ({
  type: 'RequestRunnerForJob',
  data: { runnerId, poolId: pool, attempt, reason: 'queued', maxAttempts, at: T1 },
});
const recordRejection: JobCommand = {
  type: 'RecordScaleUpRejection',
  data: { poolId: pool, reason: 'max-runners-reached', detail: '10 of 10 runners alive', at: T1 },
};
const markUnroutable = (reason: 'no-matching-pool' | 'repository-not-allowed'): JobCommand => ({
  type: 'MarkJobUnroutable',
  data: { reason, at: T1 },
});
const requestRerun: JobCommand = { type: 'RequestJobRerun', data: { at: T3 } };

const spec = deciderSpec(jobDecider);

describe('job decider', () => {
  describe('RecordJobQueued', () => {
    it('the first queued delivery queues an unknown job', () => {
      spec
        .given([])
        .when(recordQueued)
        .then([queued])
        .thenState({ status: 'queued', info, queuedAt: T0, waiting: false, unroutable: null, requests: [] });
    });
    it('a duplicate queued delivery records nothing', () => {
      spec.given([queued]).when(recordQueued).thenNothing();
    });
    it('a queued delivery after in_progress fills in the details and keeps the job in progress', () => {
      spec
        .given([started])
        .when(recordQueued)
        .then([queued])
        .thenState({ status: 'in_progress', info, queuedAt: T0, runnerName: 'hangar-r-a' });
    });
    it('a queued delivery after completed fills in the details and keeps the job completed', () => {
      spec
        .given([completed()])
        .when(recordQueued)
        .then([queued])
        .thenState({ status: 'completed', info, conclusion: 'success' });
    });
    it('a late queued delivery for a job already known with details records nothing', () => {
      spec.given([queued, started]).when(recordQueued).thenNothing();
    });
  });

  describe('RecordJobWaiting', () => {
    it('a queued job starts waiting for approval', () => {
      spec.given([queued]).when(recordWaiting).then([waiting]).thenState({ status: 'queued', waiting: true });
    });
    it('a second waiting delivery records nothing', () => {
      spec.given([queued, waiting]).when(recordWaiting).thenNothing();
    });
    it('waiting for an unknown job records nothing', () => {
      spec.given([]).when(recordWaiting).thenNothing();
    });
    it('waiting after the job started records nothing', () => {
      spec.given([queued, started]).when(recordWaiting).thenNothing().thenState({ status: 'in_progress' });
    });
  });

  describe('RecordJobStarted', () => {
    it('a queued job goes in progress, keeping its requests', () => {
      spec
        .given([queued, requested(1)])
        .when(recordStarted)
        .then([started])
        .thenState({
          status: 'in_progress',
          info,
          startedAt: T2,
          requests: [{ runnerId: runnerA, attempt: 1 }],
        });
    });
    it('in_progress without a queued delivery still starts the job, without details', () => {
      spec.given([]).when(recordStarted).then([started]).thenState({ status: 'in_progress', info: null });
    });
    it('a duplicate in_progress delivery records nothing', () => {
      spec.given([queued, started]).when(recordStarted).thenNothing();
    });
    it('in_progress after completed records nothing and never reopens the job', () => {
      spec
        .given([queued, completed()])
        .when(recordStarted)
        .thenNothing()
        .thenState({ status: 'completed', startedAt: null });
    });
  });

  describe('RecordJobCompleted', () => {
    it('an in-progress job completes, keeping its runner name and start time', () => {
      spec
        .given([queued, started])
        .when(recordCompleted('failure'))
        .then([{ type: 'JobCompleted', data: { conclusion: 'failure', runnerName: null, completedAt: T3 } }])
        .thenState({
          status: 'completed',
          conclusion: 'failure',
          runnerName: 'hangar-r-a',
          startedAt: T2,
          completedAt: T3,
          rerunRequested: false,
        });
    });
    it('completed before in_progress still completes the job', () => {
      spec
        .given([queued])
        .when(recordCompleted('success', 'hangar-r-b'))
        .then([
          {
            type: 'JobCompleted',
            data: { conclusion: 'success', runnerName: 'hangar-r-b', completedAt: T3 },
          },
        ])
        .thenState({ status: 'completed', runnerName: 'hangar-r-b', startedAt: null, info });
    });
    it('a cancelled job that never was delivered as queued completes', () => {
      spec
        .given([])
        .when(recordCompleted('cancelled'))
        .then([completed('cancelled')])
        .thenState({
          status: 'completed',
          info: null,
          conclusion: 'cancelled',
        });
    });
    it('a duplicate completed delivery records nothing', () => {
      spec.given([queued, completed()]).when(recordCompleted('failure')).thenNothing().thenState({
        conclusion: 'success',
      });
    });
  });

  describe('RecordJobInterrupted', () => {
    it('the interruption of the runner of an in-progress job is recorded', () => {
      spec
        .given([queued, started])
        .when(recordInterrupted)
        .then([interrupted])
        .thenState({ status: 'in_progress', interruptedAt: T2 });
    });
    it('an interruption reported after completion is still recorded', () => {
      spec
        .given([queued, started, completed('failure')])
        .when(recordInterrupted)
        .then([interrupted])
        .thenState({ status: 'completed', interruptedAt: T2 });
    });
    it('an interruption of an unknown job records nothing', () => {
      spec.given([]).when(recordInterrupted).thenNothing();
    });
    it('a second interruption records nothing', () => {
      spec.given([queued, started, interrupted]).when(recordInterrupted).thenNothing();
    });
  });

  describe('RequestRunnerForJob', () => {
    it('a queued job gets its first runner', () => {
      spec
        .given([queued])
        .when(requestRunner(1))
        .then([requested(1)])
        .thenState({ requests: [{ runnerId: runnerA, poolId: pool, attempt: 1, at: T1 }] });
    });
    it('a redelivered request for the same attempt and runner records nothing', () => {
      spec
        .given([queued, requested(1)])
        .when(requestRunner(1))
        .thenNothing();
    });
    it('a second runner for an attempt already made is refused', () => {
      spec
        .given([queued, requested(1)])
        .when(requestRunner(1, runnerB))
        .thenRejects({ reason: 'attempt-already-made', attempt: 1 });
    });
    it('a next attempt below the maximum gets a runner', () => {
      spec
        .given([queued, requested(1)])
        .when(requestRunner(2, runnerB))
        .then([requested(2, runnerB)])
        .thenState({ requests: [{ attempt: 1 }, { attempt: 2 }] });
    });
    it('an attempt beyond the maximum is refused as exhausted', () => {
      spec
        .given([queued, requested(1), requested(2, runnerB)])
        .when(requestRunner(3, RunnerId('r-c'), 2))
        .thenRejects({ reason: 'attempts-exhausted', attempts: 2 });
    });
    it('a runner for an unknown job is refused', () => {
      spec.given([]).when(requestRunner(1)).thenRejects({ reason: 'job-not-queued', status: 'unknown' });
    });
    it('a runner for a job in progress is refused', () => {
      spec.given([queued, started]).when(requestRunner(1)).thenRejects({
        reason: 'job-not-queued',
        status: 'in_progress',
      });
    });
    it('a runner for a completed job is refused', () => {
      spec.given([queued, completed()]).when(requestRunner(1)).thenRejects({
        reason: 'job-not-queued',
        status: 'completed',
      });
    });
  });

  describe('RecordScaleUpRejection', () => {
    it('a refusal for a queued job is recorded for operators', () => {
      spec
        .given([queued])
        .when(recordRejection)
        .then([{ type: 'ScaleUpRejected', data: recordRejection.data } as JobEvent])
        .thenState({ status: 'queued', lastRejectedAt: T1 });
    });
    it('a refusal for a job no longer queued records nothing', () => {
      spec.given([queued, started]).when(recordRejection).thenNothing();
    });
    it('a refusal for an unknown job records nothing', () => {
      spec.given([]).when(recordRejection).thenNothing();
    });
  });

  describe('MarkJobUnroutable', () => {
    const unroutable = (reason: 'no-matching-pool' | 'repository-not-allowed'): JobEvent => ({
      type: 'JobUnroutable',
      data: { reason, at: T1 },
    });
    it('a queued job no pool serves is marked unroutable', () => {
      spec
        .given([queued])
        .when(markUnroutable('no-matching-pool'))
        .then([unroutable('no-matching-pool')])
        .thenState({ unroutable: 'no-matching-pool' });
    });
    it('the same reason twice records nothing', () => {
      spec
        .given([queued, unroutable('no-matching-pool')])
        .when(markUnroutable('no-matching-pool'))
        .thenNothing();
    });
    it('a new reason replaces the old one', () => {
      spec
        .given([queued, unroutable('no-matching-pool')])
        .when(markUnroutable('repository-not-allowed'))
        .then([unroutable('repository-not-allowed')])
        .thenState({ unroutable: 'repository-not-allowed' });
    });
    it('a job no longer queued is not marked', () => {
      spec.given([queued, completed()]).when(markUnroutable('no-matching-pool')).thenNothing();
    });
  });

  describe('RequestJobRerun', () => {
    const rerun: JobEvent = { type: 'JobRerunRequested', data: { at: T3 } };
    it('a job an interruption failed is rerun once', () => {
      spec
        .given([queued, started, interrupted, completed('failure')])
        .when(requestRerun)
        .then([rerun])
        .thenState({ rerunRequested: true });
    });
    it('a second rerun is refused', () => {
      spec
        .given([queued, started, interrupted, completed('failure'), rerun])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
    });
    it('an interrupted job that still succeeded is not rerun', () => {
      spec
        .given([queued, started, interrupted, completed('success')])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
    });
    it('a failed job that was not interrupted is not rerun', () => {
      spec
        .given([queued, started, completed('failure')])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
    });
    it('an interrupted job still in progress is not rerun yet', () => {
      spec
        .given([queued, started, interrupted])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'in_progress' });
    });
    it('a job that failed before its runner was interrupted is not rerun, whatever came first', () => {
      const late: JobEvent = {
        type: 'JobInterrupted',
        data: { runnerId: runnerA, at: '2026-01-01T10:04:00.000Z' },
      };
      spec
        .given([queued, started, late, completed('failure')])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
      spec
        .given([queued, started, completed('failure'), late])
        .when(requestRerun)
        .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
    });
    it('a job interrupted at the very time it completed is rerun', () => {
      const same: JobEvent = { type: 'JobInterrupted', data: { runnerId: runnerA, at: T3 } };
      spec
        .given([queued, completed('cancelled'), same])
        .when(requestRerun)
        .then([{ type: 'JobRerunRequested', data: { at: T3 } }]);
    });
    it('an unknown job is not rerun', () => {
      spec.given([]).when(requestRerun).thenRejects({ reason: 'rerun-not-needed', status: 'unknown' });
    });
  });

  describe('isTerminal', () => {
    const terminal = (history: JobEvent[]) => jobDecider.isTerminal(fold(jobDecider, history));
    it('a completed job is terminal', () => {
      expect(terminal([queued, completed('failure')])).toBe(true);
    });
    it('an interrupted, failed job stays open until its rerun is requested', () => {
      expect(terminal([queued, started, interrupted, completed('failure')])).toBe(false);
      expect(
        terminal([
          queued,
          started,
          interrupted,
          completed('failure'),
          { type: 'JobRerunRequested', data: { at: T3 } },
        ]),
      ).toBe(true);
    });
    it('a job that failed before its runner was interrupted is terminal', () => {
      const late: JobEvent = {
        type: 'JobInterrupted',
        data: { runnerId: runnerA, at: '2026-01-01T10:04:00.000Z' },
      };
      expect(terminal([queued, started, completed('failure'), late])).toBe(true);
    });
    it('an interrupted job that succeeded anyway is terminal', () => {
      expect(terminal([queued, started, interrupted, completed('success')])).toBe(true);
    });
    it('queued and in-progress jobs are open', () => {
      expect(terminal([queued])).toBe(false);
      expect(terminal([queued, started])).toBe(false);
      expect(terminal([])).toBe(false);
    });
  });

  describe('evolve', () => {
    it('ignores events that do not apply to an unknown job', () => {
      spec
        .given([
          waiting,
          requested(1),
          { type: 'JobUnroutable', data: { reason: 'no-matching-pool', at: T1 } },
          interrupted,
        ])
        .thenState({ status: 'unknown' });
    });
  });
});
