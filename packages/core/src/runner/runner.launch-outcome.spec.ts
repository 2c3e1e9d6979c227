import { describe, it } from '@jest/globals';
import { deciderSpec } from '../testing/decider-spec';
import type { RunnerCommand } from './runner.commands';
import { runnerDecider } from './runner.decider';
import type { RunnerEvent } from './runner.events';
import {
  cmd,
  launched,
  launchFailed,
  launchStarted,
  requested,
  T,
  terminationRequested,
} from './runner.spec-fixtures';

/**
 * A launch call whose outcome is unknown (throttled, 5xx, timeout, dropped connection) leaves
 * its attempt open: the same idempotency key is called again or its machine looked up, and no
 * new attempt starts until a definite answer (launch-step.ts).
 */
const unknown = (attempt: number, minute = 2): RunnerCommand => ({
  type: 'RecordLaunchOutcomeUnknown',
  data: { attempt, reason: 'throttled', detail: 'RequestLimitExceeded', at: T(minute) },
});
const outcomeUnknown = (attempt: number, minute = 2): RunnerEvent => ({
  type: 'RunnerLaunchOutcomeUnknown',
  data: { attempt, reason: 'throttled', detail: 'RequestLimitExceeded', at: T(minute) },
});
const resumed = (attempt: number, minute: number): RunnerEvent => ({
  type: 'RunnerLaunchResumed',
  data: { attempt, at: T(minute) },
});
const startLaunchAt = (minute: number): RunnerCommand => ({
  type: 'StartLaunch',
  data: { capacityType: 'spot', at: T(minute) },
});
const spec = deciderSpec(runnerDecider);

describe('runner decider: launch outcomes that are unknown', () => {
  describe('launching', () => {
    it('records an unknown outcome and keeps the attempt open', () => {
      spec
        .given([requested(), launchStarted(1)])
        .when(unknown(1))
        .then([outcomeUnknown(1)])
        .thenState({
          status: 'launching',
          attempt: 1,
          launchAttempts: 1,
          outcomeUnknown: { reason: 'throttled', detail: 'RequestLimitExceeded' },
        });
    });
    it('a repeated unknown outcome of the same call records nothing', () => {
      spec
        .given([requested(), launchStarted(1), outcomeUnknown(1)])
        .when(unknown(1, 3))
        .thenNothing();
    });
    it('an unknown outcome of another attempt records nothing', () => {
      spec
        .given([requested(), launchStarted(1)])
        .when(unknown(2))
        .thenNothing();
    });
    it('calls the same key again after an unknown outcome: same attempt, the call time recorded', () => {
      spec
        .given([requested(), launchStarted(1), outcomeUnknown(1)])
        .when(startLaunchAt(8))
        .then([resumed(1, 8)])
        .thenState({ status: 'launching', attempt: 1, lastLaunchCallAt: T(8), outcomeUnknown: null });
    });
    it('records the unknown outcome of the call made again', () => {
      spec
        .given([requested(), launchStarted(1), outcomeUnknown(1), resumed(1, 8)])
        .when(unknown(1, 9))
        .then([outcomeUnknown(1, 9)]);
    });
    it('a machine found by the key ends the attempt as launched', () => {
      spec
        .given([requested(), launchStarted(1), outcomeUnknown(1)])
        .when(cmd.launchSucceeded)
        .then([launched])
        .thenState({ status: 'launched', launchAttempts: 1 });
    });
  });

  describe('after the attempt', () => {
    it('an unknown outcome reported after the machine is known records nothing', () => {
      spec
        .given([requested(), launchStarted(1), launched])
        .when(unknown(1))
        .thenNothing();
    });
    it('an unknown outcome reported after a definite failure records nothing', () => {
      spec
        .given([requested(), launchStarted(1), launchFailed(1, false)])
        .when(unknown(1))
        .thenNothing();
    });
    it('a terminating runner keeps the time of its last launch call, for the removal to wait it out', () => {
      spec
        .given([requested(), launchStarted(1), resumed(1, 8), terminationRequested('launch-stalled')])
        .when(unknown(1))
        .thenNothing()
        .thenState({ status: 'terminating', machine: null, launchAttempts: 1, lastLaunchCallAt: T(8) });
    });
    it('a launch cannot be resumed once termination was requested', () => {
      spec
        .given([requested(), launchStarted(1), terminationRequested('launch-stalled')])
        .when(startLaunchAt(9))
        .thenRejects({ reason: 'not-launchable', status: 'terminating' });
    });
  });
});
