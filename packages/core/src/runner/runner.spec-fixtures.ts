/** Runner histories and commands for the runner decider's specs (test-only). */
import { InstanceId, JobId, PoolId, RunnerId } from '../shared/brand';
import type { RunnerCommand } from './runner.commands';
import type { RunnerEvent, TerminationReason } from './runner.events';

export const T = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
export const runnerId = RunnerId('r-1');
export const poolId = PoolId('linux-arm64');
export const job1 = JobId(101);
export const job2 = JobId(102);
export const instanceId = InstanceId('i-0123456789abcdef0');
export const secretSuffix = '0123456789abcdef0123456789abcdef';

export const requested = (ephemeral = false): RunnerEvent => ({
  type: 'RunnerRequested',
  data: { runnerId, poolId, jobId: job1, ephemeral, compute: 'ec2', requestedAt: T(0), secretSuffix },
});
export const launchStarted = (attempt = 1): RunnerEvent => ({
  type: 'RunnerLaunchStarted',
  data: { attempt, capacityType: 'spot', at: T(1) },
});
export const launched: RunnerEvent = {
  type: 'RunnerLaunched',
  data: { instanceId, instanceType: 'm7g.large', capacityType: 'spot', launchedAt: T(2) },
};
export const launchFailed = (attempt: number, final: boolean): RunnerEvent => ({
  type: 'RunnerLaunchFailed',
  data: { attempt, reason: 'insufficient-capacity', detail: 'no spot capacity', final, at: T(2) },
});
export const registered: RunnerEvent = {
  type: 'RunnerRegistrationIssued',
  data: { runnerName: 'hangar-r-1', githubRunnerId: 55, at: T(3) },
};
export const online: RunnerEvent = { type: 'RunnerOnline', data: { at: T(4) } };
export const jobStarted = (jobId: JobId | null = job1): RunnerEvent => ({
  type: 'RunnerJobStarted',
  data: { jobId, at: T(5) },
});
export const jobFinished = (jobId: JobId | null = job1): RunnerEvent => ({
  type: 'RunnerJobFinished',
  data: { jobId, at: T(6) },
});
export const interrupted: RunnerEvent = { type: 'RunnerInterrupted', data: { at: T(7) } };
export const terminationRequested = (reason: TerminationReason = 'idle'): RunnerEvent => ({
  type: 'RunnerTerminationRequested',
  data: { reason, at: T(8) },
});
export const deregistered: RunnerEvent = { type: 'RunnerDeregistered', data: { at: T(9) } };
export const terminated: RunnerEvent = { type: 'RunnerTerminated', data: { at: T(10) } };

export const up = (ephemeral = false) => [requested(ephemeral), launchStarted(), launched, registered];
export const idle = (ephemeral = false) => [...up(ephemeral), online];
export const busy = (ephemeral = false) => [...idle(ephemeral), jobStarted()];

export const cmd = {
  request: (ephemeral = false, suffix = secretSuffix): RunnerCommand => ({
    type: 'RequestRunner',
    data: { runnerId, poolId, jobId: job1, ephemeral, compute: 'ec2', secretSuffix: suffix, at: T(0) },
  }),
  startLaunch: { type: 'StartLaunch', data: { capacityType: 'spot', at: T(1) } } as RunnerCommand,
  launchSucceeded: {
    type: 'RecordLaunchSucceeded',
    data: { instanceId, instanceType: 'm7g.large', capacityType: 'spot', at: T(2) },
  } as RunnerCommand,
  launchFailed: (attempt: number, retryable = true, maxAttempts = 3): RunnerCommand => ({
    type: 'RecordLaunchFailed',
    data: {
      attempt,
      reason: 'insufficient-capacity',
      detail: 'no spot capacity',
      retryable,
      maxAttempts,
      at: T(2),
    },
  }),
  registration: {
    type: 'RecordRegistrationIssued',
    data: { runnerName: 'hangar-r-1', githubRunnerId: 55, at: T(3) },
  } as RunnerCommand,
  online: { type: 'RecordRunnerOnline', data: { at: T(4) } } as RunnerCommand,
  jobStarted: (jobId: JobId | null = job1): RunnerCommand => ({
    type: 'RecordRunnerJobStarted',
    data: { jobId, at: T(5) },
  }),
  jobFinished: (jobId: JobId | null = job1): RunnerCommand => ({
    type: 'RecordRunnerJobFinished',
    data: { jobId, at: T(6) },
  }),
  spot: { type: 'RecordSpotInterruption', data: { at: T(7) } } as RunnerCommand,
  terminate: (reason: TerminationReason = 'idle'): RunnerCommand => ({
    type: 'RequestTermination',
    data: { reason, at: T(8) },
  }),
  deregistered: { type: 'RecordDeregistered', data: { at: T(9) } } as RunnerCommand,
  terminated: { type: 'RecordInstanceTerminated', data: { at: T(10) } } as RunnerCommand,
};
