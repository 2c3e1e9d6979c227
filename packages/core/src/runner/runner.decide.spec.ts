import { describe, it, expect } from '@jest/globals';
import { fold } from '../shared/decider';
import { deciderSpec } from '../testing/decider-spec';
import { runnerDecider } from './runner.decider';
import type { RunnerEvent } from './runner.events';
import {
  busy,
  cmd,
  deregistered,
  idle,
  instanceId,
  interrupted,
  job1,
  job2,
  jobFinished,
  jobStarted,
  launched,
  launchFailed,
  launchStarted,
  online,
  poolId,
  registered,
  requested,
  runnerId,
  secretSuffix,
  T,
  terminated,
  terminationRequested,
  up,
} from './runner.spec-fixtures';

const spec = deciderSpec(runnerDecider);

describe('runner decider', () => {
  describe('RequestRunner', () => {
    it('a new runner is requested', () => {
      spec.given([]).when(cmd.request()).then([requested()]).thenState({
        status: 'requested',
        runnerId,
        poolId,
        requestedForJobId: job1,
        launchAttempts: 0,
        lastFailure: null,
        secretSuffix,
      });
    });
    it('a repeated request for an existing runner records nothing and keeps the first secret suffix', () => {
      spec
        .given([requested()])
        .when(cmd.request(true, 'f'.repeat(32)))
        .thenNothing()
        .thenState({ ephemeral: false, secretSuffix });
    });
    it('a runner requested before secret suffixes existed keeps the name without one', () => {
      const { secretSuffix: _dropped, ...legacy } = (
        requested() as Extract<RunnerEvent, { type: 'RunnerRequested' }>
      ).data;
      spec
        .given([{ type: 'RunnerRequested', data: legacy }, launchStarted(), launched])
        .when(cmd.request())
        .thenNothing()
        .thenState({ status: 'launched', secretSuffix: null });
    });
  });

  describe('WithdrawRunnerRequest', () => {
    const withdraw = { type: 'WithdrawRunnerRequest', data: { poolId, at: T(20) } } as const;
    const withdrawn: RunnerEvent = {
      type: 'RunnerRequestWithdrawn',
      data: { poolId, reason: 'reservation-abandoned', at: T(20) },
    };
    it('an id never requested is withdrawn, and the stream is over', () => {
      spec
        .given([])
        .when(withdraw)
        .then([withdrawn])
        .thenState({ status: 'none', withdrawnAt: T(20) });
      expect(runnerDecider.isTerminal(fold(runnerDecider, [withdrawn]))).toBe(true);
    });
    it('a late request for a withdrawn id is refused, so its scale-up launches nothing', () => {
      spec
        .given([withdrawn])
        .when(cmd.request())
        .thenRejects({ reason: 'request-withdrawn', at: T(20) })
        .thenState({ status: 'none' });
    });
    it('a runner already requested is not withdrawn: the slot stays its own', () => {
      spec
        .given([requested()])
        .when(withdraw)
        .thenRejects({ reason: 'runner-requested', status: 'requested' });
    });
    it('withdrawing again records nothing (the release that follows is repeated)', () => {
      spec.given([withdrawn]).when(withdraw).thenNothing();
    });
  });

  describe('StartLaunch', () => {
    it('a requested runner starts launch attempt 1', () => {
      spec
        .given([requested()])
        .when(cmd.startLaunch)
        .then([launchStarted(1)])
        .thenState({
          status: 'launching',
          attempt: 1,
          launchAttempts: 1,
        });
    });
    it('after a retryable failure the next launch is attempt 2', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, false)])
        .when(cmd.startLaunch)
        .then([launchStarted(2)]);
    });
    it('resuming a launch under way records the call with the same attempt, so the idempotency key stays the same', () => {
      spec
        .given([requested(), launchStarted(1)])
        .when(cmd.startLaunch)
        .then([{ type: 'RunnerLaunchResumed', data: { attempt: 1, at: T(1) } }])
        .thenState({ status: 'launching', attempt: 1, launchAttempts: 1, lastLaunchCallAt: T(1) });
    });
    it('an unknown runner cannot be launched', () => {
      spec.given([]).when(cmd.startLaunch).thenRejects({ reason: 'not-launchable', status: 'none' });
    });
    it('a launched runner cannot be launched again', () => {
      spec.given(up()).when(cmd.startLaunch).thenRejects({ reason: 'not-launchable', status: 'launched' });
    });
    it('a runner whose launch failed for good cannot be launched', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, true)])
        .when(cmd.startLaunch)
        .thenRejects({ reason: 'not-launchable', status: 'launch_failed' });
    });
  });

  describe('RecordLaunchSucceeded', () => {
    it('a launching runner gets its machine', () => {
      spec
        .given([requested(), launchStarted()])
        .when(cmd.launchSucceeded)
        .then([launched])
        .thenState({
          status: 'launched',
          machine: { instanceId, registration: null, online: false, jobsRun: 0, finishedJobs: [] },
        });
    });
    it('a success recorded before the launch start still gives the runner its machine', () => {
      spec.given([requested()]).when(cmd.launchSucceeded).then([launched]).thenState({ status: 'launched' });
    });
    it('a repeated success records nothing', () => {
      spec.given([requested(), launchStarted(), launched]).when(cmd.launchSucceeded).thenNothing();
    });
    it('a success after termination was requested records the machine so it can be removed', () => {
      spec
        .given([requested(), launchStarted(), terminationRequested('launch-stalled')])
        .when(cmd.launchSucceeded)
        .then([launched])
        .thenState({ status: 'terminating', machine: { instanceId } });
    });
    it('a success for an unknown runner records nothing', () => {
      spec.given([]).when(cmd.launchSucceeded).thenNothing();
    });
    it('a success after the runner ended records nothing', () => {
      spec
        .given([requested(), launchStarted(), launchFailed(1, true)])
        .when(cmd.launchSucceeded)
        .thenNothing();
      spec.given([requested(), terminated]).when(cmd.launchSucceeded).thenNothing();
    });
  });

  describe('RecordLaunchFailed', () => {
    it('a retryable failure below the attempt limit sends the runner back to requested', () => {
      spec
        .given([requested(), launchStarted(1)])
        .when(cmd.launchFailed(1))
        .then([launchFailed(1, false)])
        .thenState({
          status: 'requested',
          launchAttempts: 1,
          lastFailure: { reason: 'insufficient-capacity', detail: 'no spot capacity' },
        });
    });
    it('a failure of the last allowed attempt ends the runner', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, false), launchStarted(2)])
        .when(cmd.launchFailed(2, true, 2))
        .then([launchFailed(2, true)])
        .thenState({ status: 'launch_failed', reason: 'insufficient-capacity', failedAt: T(2) });
    });
    it('a failure that retrying cannot fix ends the runner at once', () => {
      spec
        .given([requested(), launchStarted(1)])
        .when(cmd.launchFailed(1, false))
        .then([launchFailed(1, true)]);
    });
    it('a failure of another attempt than the one under way records nothing', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, false), launchStarted(2)])
        .when(cmd.launchFailed(1))
        .thenNothing()
        .thenState({ status: 'launching', attempt: 2 });
    });
    it('a repeated failure of an attempt already counted records nothing', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, false)])
        .when(cmd.launchFailed(1))
        .thenNothing();
    });
    it('a failure recorded before its launch start counts as an attempt made', () => {
      spec
        .given([requested()])
        .when(cmd.launchFailed(1))
        .then([launchFailed(1, false)])
        .thenState({ status: 'requested', launchAttempts: 1 });
    });
    it('a failure after the machine came up records nothing', () => {
      spec.given(up()).when(cmd.launchFailed(1)).thenNothing().thenState({ status: 'launched' });
    });
    it('a failure for an unknown runner records nothing', () => {
      spec.given([]).when(cmd.launchFailed(1)).thenNothing();
    });
  });

  describe('RecordRegistrationIssued', () => {
    it('a launched runner records its registration', () => {
      spec
        .given([requested(), launchStarted(), launched])
        .when(cmd.registration)
        .then([registered])
        .thenState({ machine: { registration: { runnerName: 'hangar-r-1', githubRunnerId: 55 } } });
    });
    it('a second registration records nothing', () => {
      spec.given(up()).when(cmd.registration).thenNothing();
    });
    it('a registration before the machine exists records nothing', () => {
      spec.given([requested(), launchStarted()]).when(cmd.registration).thenNothing();
    });
    it('a registration of a terminating runner with a machine is recorded, so it can be deregistered', () => {
      spec
        .given([requested(), launchStarted(), launched, terminationRequested('boot-timeout')])
        .when(cmd.registration)
        .then([registered])
        .thenState({ status: 'terminating', machine: { registration: { runnerName: 'hangar-r-1' } } });
    });
    it('a registration after termination records nothing', () => {
      spec.given([requested(), launchStarted(), launched, terminated]).when(cmd.registration).thenNothing();
    });
  });

  describe('RecordRunnerOnline', () => {
    it('a launched runner that comes online is idle', () => {
      spec
        .given(up())
        .when(cmd.online)
        .then([online])
        .thenState({
          status: 'idle',
          idleSince: T(4),
          machine: { online: true },
        });
    });
    it('online again records nothing', () => {
      spec.given(idle()).when(cmd.online).thenNothing();
    });
    it('online while busy records nothing and the runner stays busy', () => {
      spec.given(busy()).when(cmd.online).thenNothing().thenState({ status: 'busy' });
    });
    it('online before a machine exists records nothing', () => {
      spec.given([requested()]).when(cmd.online).thenNothing();
    });
  });

  describe('RecordRunnerJobStarted', () => {
    it('an idle runner becomes busy with the job', () => {
      spec
        .given(idle())
        .when(cmd.jobStarted())
        .then([jobStarted()])
        .thenState({
          status: 'busy',
          currentJobId: job1,
          busySince: T(5),
        });
    });
    it('a job start before online makes a launched runner busy and online', () => {
      spec
        .given(up())
        .when(cmd.jobStarted())
        .then([jobStarted()])
        .thenState({
          status: 'busy',
          machine: { online: true },
        });
    });
    it('a job start during termination, before deregistration, cancels the termination', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(cmd.jobStarted())
        .then([jobStarted()])
        .thenState({ status: 'busy', currentJobId: job1 });
    });
    it('a job start after deregistration records nothing', () => {
      spec
        .given([...idle(), terminationRequested(), deregistered])
        .when(cmd.jobStarted())
        .thenNothing();
    });
    it('a job start for a terminating runner without a machine records nothing', () => {
      spec.given([requested(), terminationRequested()]).when(cmd.jobStarted()).thenNothing();
    });
    it('in_progress delivered after completed of the same job leaves the runner idle', () => {
      spec
        .given([...idle(), jobFinished(job1)])
        .when(cmd.jobStarted(job1))
        .thenNothing()
        .thenState({ status: 'idle' });
    });
    it('a job start before the machine exists records nothing', () => {
      spec.given([requested(), launchStarted()]).when(cmd.jobStarted()).thenNothing();
    });
  });

  describe('RecordRunnerJobFinished', () => {
    it('a busy reusable runner goes idle and counts the job', () => {
      spec
        .given(busy())
        .when(cmd.jobFinished())
        .then([jobFinished()])
        .thenState({
          status: 'idle',
          idleSince: T(6),
          machine: { jobsRun: 1, finishedJobs: [{ jobId: job1, finishedAt: T(6) }], latestFinishAt: T(6) },
        });
    });
    it('a busy ephemeral runner is done: terminating, already deregistered by GitHub', () => {
      spec.given(busy(true)).when(cmd.jobFinished()).then([jobFinished()]).thenState({
        status: 'terminating',
        reason: 'job-done',
        deregistered: true,
      });
    });
    it('completed before in_progress still finishes the job on an idle runner', () => {
      spec
        .given(idle())
        .when(cmd.jobFinished())
        .then([jobFinished()])
        .thenState({
          status: 'idle',
          machine: { jobsRun: 1 },
        });
    });
    it('completed before in_progress ends an ephemeral runner that never was seen busy', () => {
      spec.given(up(true)).when(cmd.jobFinished()).then([jobFinished()]).thenState({ status: 'terminating' });
    });
    it('a repeated completed delivery records nothing', () => {
      spec
        .given([...busy(), jobFinished()])
        .when(cmd.jobFinished())
        .thenNothing()
        .thenState({
          machine: { jobsRun: 1 },
        });
    });
    it('a late repeat of the previous job never frees the runner from its current job', () => {
      spec
        .given([...busy(), jobFinished(job1), jobStarted(job2)])
        .when(cmd.jobFinished(job1))
        .thenNothing()
        .thenState({ status: 'busy', currentJobId: job2 });
    });
    it('a finish without a named job tells an idle runner nothing', () => {
      spec.given(idle()).when(cmd.jobFinished(null)).thenNothing();
    });
    it('a finish for a terminating runner is recorded on its machine and it stays terminating', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(cmd.jobFinished(job2))
        .then([jobFinished(job2)])
        .thenState({ status: 'terminating', machine: { finishedJobs: [{ jobId: job2, finishedAt: T(6) }] } });
    });
    it('a finish that arrives after the machine is gone is recorded on it', () => {
      spec
        .given([...busy(), terminated])
        .when(cmd.jobFinished(job1))
        .then([jobFinished(job1)])
        .thenState({ status: 'terminated', machine: { jobsRun: 1, finishedJobs: [{ jobId: job1 }] } });
    });
    it('a repeated finish after the machine is gone records nothing', () => {
      spec
        .given([...busy(), terminated, jobFinished(job1)])
        .when(cmd.jobFinished(job1))
        .thenNothing();
    });
    it('a finish without a named job for a machine that is gone records nothing', () => {
      spec
        .given([...busy(), terminated])
        .when(cmd.jobFinished(null))
        .thenNothing();
    });
    it('a finish before the machine exists records nothing', () => {
      spec.given([requested()]).when(cmd.jobFinished()).thenNothing();
    });
  });

  describe('RecordSpotInterruption', () => {
    it('a spot warning for a busy runner is recorded and the runner stays busy', () => {
      spec
        .given(busy())
        .when(cmd.spot)
        .then([interrupted])
        .thenState({
          status: 'busy',
          machine: { interruptedAt: T(7) },
        });
    });
    it('a second warning records nothing', () => {
      spec
        .given([...busy(), interrupted])
        .when(cmd.spot)
        .thenNothing();
    });
    it('a warning before the machine exists records nothing', () => {
      spec.given([requested(), launchStarted()]).when(cmd.spot).thenNothing();
    });
    it('a warning for a terminating runner is recorded', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(cmd.spot)
        .then([interrupted]);
    });
    it('a warning that arrives after the machine is gone is still recorded: its jobs may need a rerun', () => {
      spec
        .given([...idle(), terminated])
        .when(cmd.spot)
        .then([interrupted])
        .thenState({ status: 'terminated', machine: { interruptedAt: T(7) } });
    });
    it('a warning for a runner that never had a machine records nothing', () => {
      spec
        .given([requested(), launchStarted(), launchFailed(1, true)])
        .when(cmd.spot)
        .thenNothing();
    });
  });

  describe('RequestTermination', () => {
    it('an idle runner is terminated', () => {
      spec
        .given(idle())
        .when(cmd.terminate('idle'))
        .then([terminationRequested('idle')])
        .thenState({ status: 'terminating', reason: 'idle', deregistered: false, machine: { instanceId } });
    });
    it('a runner that never came online is terminated at its boot timeout', () => {
      spec
        .given(up())
        .when(cmd.terminate('boot-timeout'))
        .then([terminationRequested('boot-timeout')]);
    });
    it('a requested runner is terminated without a machine', () => {
      spec
        .given([requested()])
        .when(cmd.terminate('launch-abandoned'))
        .then([terminationRequested('launch-abandoned')])
        .thenState({ status: 'terminating', machine: null });
    });
    it('a launching runner is terminated when its launch stalls', () => {
      spec
        .given([requested(), launchStarted()])
        .when(cmd.terminate('launch-stalled'))
        .then([terminationRequested('launch-stalled')]);
    });
    it('a busy runner refuses termination', () => {
      spec.given(busy()).when(cmd.terminate()).thenRejects({ reason: 'runner-busy', jobId: job1 }).thenState({
        status: 'busy',
      });
    });
    it('a busy runner refuses termination even after a spot warning', () => {
      spec
        .given([...busy(), interrupted])
        .when(cmd.terminate('spot-interruption'))
        .thenRejects({ reason: 'runner-busy', jobId: job1 });
    });
    it('a termination already under way records nothing', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(cmd.terminate('orphan'))
        .thenNothing()
        .thenState({
          reason: 'idle',
        });
    });
    it('a terminated runner refuses termination', () => {
      spec
        .given([...idle(), terminated])
        .when(cmd.terminate())
        .thenRejects({ reason: 'runner-ended', status: 'terminated' });
    });
    it('a runner whose launch failed refuses termination', () => {
      spec
        .given([requested(), launchStarted(), launchFailed(1, true)])
        .when(cmd.terminate())
        .thenRejects({ reason: 'runner-ended', status: 'launch_failed' });
    });
    it('an unknown runner refuses termination', () => {
      spec.given([]).when(cmd.terminate()).thenRejects({ reason: 'unknown-runner' });
    });
  });

  describe('RecordDeregistered', () => {
    it('a terminating runner is deregistered', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(cmd.deregistered)
        .then([deregistered])
        .thenState({
          status: 'terminating',
          reason: 'idle',
          deregistered: true,
        });
    });
    it('an idle runner whose registration vanished only waits to be removed', () => {
      spec.given(idle()).when(cmd.deregistered).then([deregistered]).thenState({
        status: 'terminating',
        reason: 'registration-lost',
        deregistered: true,
      });
    });
    it('a busy runner whose registration vanished is terminating', () => {
      spec.given(busy()).when(cmd.deregistered).then([deregistered]).thenState({
        status: 'terminating',
        reason: 'registration-lost',
      });
    });
    it('a second deregistration records nothing', () => {
      spec
        .given([...idle(), terminationRequested(), deregistered])
        .when(cmd.deregistered)
        .thenNothing();
    });
    it('a deregistration before the machine exists records nothing', () => {
      spec.given([requested()]).when(cmd.deregistered).thenNothing();
    });
    it('a deregistration after termination records nothing', () => {
      spec
        .given([...idle(), terminated])
        .when(cmd.deregistered)
        .thenNothing();
    });
  });

  describe('RecordInstanceTerminated', () => {
    it('a terminating runner is terminated, keeping the reason', () => {
      spec
        .given([...idle(), terminationRequested('idle'), deregistered])
        .when(cmd.terminated)
        .then([terminated])
        .thenState({ status: 'terminated', reason: 'idle', terminatedAt: T(10), machine: { instanceId } });
    });
    it('a machine that vanished without our asking is terminated without a reason', () => {
      spec
        .given(busy())
        .when(cmd.terminated)
        .then([terminated])
        .thenState({ status: 'terminated', reason: null });
    });
    it('a terminating runner whose registration was deleted records both in one decision', () => {
      spec
        .given([...idle(), terminationRequested('idle')])
        .when({ type: 'RecordInstanceTerminated', data: { at: T(10), deregistered: true } })
        .then([
          { type: 'RunnerDeregistered', data: { at: T(10) } },
          { type: 'RunnerTerminated', data: { at: T(10) } },
        ])
        .thenState({ status: 'terminated', reason: 'idle' });
    });
    it('a terminating runner already deregistered records the termination only', () => {
      spec
        .given([...idle(), terminationRequested('idle'), deregistered])
        .when({ type: 'RecordInstanceTerminated', data: { at: T(10), deregistered: true } })
        .then([terminated]);
    });
    it('a machine that vanished is terminated without a deregistration, whatever the command says', () => {
      spec
        .given(idle())
        .when({ type: 'RecordInstanceTerminated', data: { at: T(10), deregistered: true } })
        .then([terminated]);
    });
    it('a repeated termination records nothing', () => {
      spec
        .given([...idle(), terminated])
        .when(cmd.terminated)
        .thenNothing();
    });
    it('a termination of an unknown runner records nothing', () => {
      spec.given([]).when(cmd.terminated).thenNothing();
    });
    it('a termination after a final launch failure records nothing', () => {
      spec
        .given([requested(), launchStarted(), launchFailed(1, true)])
        .when(cmd.terminated)
        .thenNothing();
    });
  });

  describe('isTerminal', () => {
    const terminal = (history: RunnerEvent[]) => runnerDecider.isTerminal(fold(runnerDecider, history));
    it('terminated and launch-failed runners are terminal', () => {
      expect(terminal([...idle(), terminated])).toBe(true);
      expect(terminal([requested(), launchStarted(), launchFailed(1, true)])).toBe(true);
    });
    it('a terminating runner is not terminal yet: its machine may still run', () => {
      expect(terminal([...idle(), terminationRequested()])).toBe(false);
      expect(terminal(busy())).toBe(false);
    });
  });
});
