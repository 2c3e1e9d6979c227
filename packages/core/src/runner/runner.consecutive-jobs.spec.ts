import { describe, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { deciderSpec } from '../testing/decider-spec';
import { runnerDecider } from './runner.decider';
import type { RunnerCommand } from './runner.commands';
import type { RunnerEvent } from './runner.events';
import { busy, idle, job1, job2, T, terminationRequested } from './runner.spec-fixtures';

/**
 * A reusable runner runs one job at a time, but GitHub's deliveries about consecutive jobs
 * interleave: the next job's `in_progress` may come before the previous job's `completed`,
 * and a job's `completed` may come before its own `in_progress`. The runner is busy as long
 * as one job it was seen starting has not been seen finishing.
 */
const job3 = JobId(103);
const started = (jobId: JobId | null, minute: number): RunnerEvent => ({
  type: 'RunnerJobStarted',
  data: { jobId, at: T(minute) },
});
const finished = (jobId: JobId | null, minute: number): RunnerEvent => ({
  type: 'RunnerJobFinished',
  data: { jobId, at: T(minute) },
});
const start = (jobId: JobId | null, minute: number): RunnerCommand => ({
  type: 'RecordRunnerJobStarted',
  data: { jobId, at: T(minute) },
});
const finish = (jobId: JobId | null, minute: number): RunnerCommand => ({
  type: 'RecordRunnerJobFinished',
  data: { jobId, at: T(minute) },
});
/** Busy with job 1 (started at minute 5). */
const busyWithJob1 = busy();
const spec = deciderSpec(runnerDecider);

describe('runner decider: consecutive jobs on a reusable runner', () => {
  describe('busy with one job', () => {
    it('records the next job starting before the previous one is seen finishing', () => {
      spec
        .given(busyWithJob1)
        .when(start(job2, 20))
        .then([started(job2, 20)])
        .thenState({ status: 'busy', currentJobId: job2, runningJobIds: [job1, job2], busySince: T(5) });
    });
    it('stays busy with the next job when the previous job finishes', () => {
      spec
        .given([...busyWithJob1, started(job2, 20)])
        .when(finish(job1, 19))
        .then([finished(job1, 19)])
        .thenState({ status: 'busy', currentJobId: job2, runningJobIds: [job2], machine: { jobsRun: 1 } });
    });
    it('goes idle once every job it was seen starting has finished, whatever the order', () => {
      spec
        .given([...busyWithJob1, started(job2, 20), finished(job2, 30)])
        .when(finish(job1, 19))
        .then([finished(job1, 19)])
        .thenState({ status: 'idle', idleSince: T(30), machine: { jobsRun: 2 } });
    });
    it('stays busy with its job when the next job is seen finishing before it was seen starting', () => {
      spec
        .given(busyWithJob1)
        .when(finish(job2, 30))
        .then([finished(job2, 30)])
        .thenState({ status: 'busy', currentJobId: job1, runningJobIds: [job1] });
    });
    it('a repeated start of the job it runs records nothing', () => {
      spec.given(busyWithJob1).when(start(job1, 5)).thenNothing();
    });
    it('a finish without a named job does not end a named job', () => {
      spec
        .given(busyWithJob1)
        .when(finish(null, 9))
        .thenNothing()
        .thenState({ status: 'busy', runningJobIds: [job1] });
    });
    it('refuses termination while the next job runs and the previous one finished', () => {
      spec
        .given([...busyWithJob1, started(job2, 20), finished(job1, 19)])
        .when({ type: 'RequestTermination', data: { reason: 'idle', at: T(31) } })
        .thenRejects({ reason: 'runner-busy', jobId: job2 });
    });
  });

  describe('idle after a job', () => {
    it('ignores the start of a job that finished before a later job finished (a stale delivery)', () => {
      spec
        .given([...idle(), started(job2, 20), finished(job2, 30)])
        .when(start(job3, 10))
        .thenNothing()
        .thenState({ status: 'idle' });
    });
    it('records a job starting at the same time a previous one finished', () => {
      spec
        .given([...idle(), started(job2, 20), finished(job2, 30)])
        .when(start(job3, 30))
        .then([started(job3, 30)])
        .thenState({ status: 'busy', currentJobId: job3 });
    });
    it('remembers finished jobs beyond the last one: a late start of the job before stays ignored', () => {
      spec
        .given([...idle(), finished(job2, 20), finished(job3, 30)])
        .when(start(job2, 31))
        .thenNothing();
    });
  });

  describe('busy without a named job (GitHub refused a deregistration: busy)', () => {
    const anonymous = [...idle(), terminationRequested(), started(null, 9)];
    it('is busy with an unknown job', () => {
      spec.given(anonymous).when(start(null, 10)).thenNothing().thenState({
        status: 'busy',
        currentJobId: null,
        runningJobIds: [],
      });
    });
    it('learns the job it runs from the next named start', () => {
      spec
        .given(anonymous)
        .when(start(job2, 8))
        .then([started(job2, 8)])
        .thenState({ status: 'busy', currentJobId: job2, runningJobIds: [job2], busySince: T(9) });
    });
    it('goes idle when a job it was not seen starting finishes', () => {
      spec
        .given(anonymous)
        .when(finish(job2, 12))
        .then([finished(job2, 12)])
        .thenState({ status: 'idle' });
    });
    it('goes idle when told it finished without a named job', () => {
      spec
        .given(anonymous)
        .when(finish(null, 12))
        .then([finished(null, 12)])
        .thenState({ status: 'idle' });
    });
  });

  describe('ephemeral', () => {
    it('is done after its one job, however its deliveries interleave', () => {
      spec
        .given(busy(true))
        .when(finish(job1, 6))
        .then([finished(job1, 6)])
        .thenState({ status: 'terminating', reason: 'job-done', deregistered: true });
    });
  });
});
