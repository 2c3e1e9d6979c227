import { describe, it } from '@jest/globals';
import { deciderSpec } from '../testing/decider-spec';
import type { RunnerCommand } from './runner.commands';
import { runnerDecider } from './runner.decider';
import type { RunnerEvent } from './runner.events';
import {
  idle,
  launched,
  launchFailed,
  launchStarted,
  registered,
  requested,
  T,
  terminated,
  terminationRequested,
} from './runner.spec-fixtures';

/**
 * Registration is a decided step: only the invocation whose `StartRegistration` was appended
 * calls GitHub and writes the secret. A claim older than the lease belongs to an invocation
 * that died (no Lambda outlives it), so another may take the step over with a new attempt;
 * the config of an attempt reaches the secret store only after its `RegistrationCreated`.
 */
const NAME = 'hangar-r-1';
const LEASE = 120;
const machineUp = [requested(), launchStarted(), launched];
const start = (minute: number, second = 0): RunnerCommand => ({
  type: 'StartRegistration',
  data: { runnerName: NAME, leaseSeconds: LEASE, at: at(minute, second) },
});
const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, 10, minute, second)).toISOString();
const started = (attempt: number, minute: number, second = 0): RunnerEvent => ({
  type: 'RunnerRegistrationStarted',
  data: { attempt, runnerName: NAME, at: at(minute, second) },
});
const create = (attempt: number, minute = 4): RunnerCommand => ({
  type: 'RecordRegistrationCreated',
  data: { attempt, runnerName: NAME, githubRunnerId: 55, at: at(minute) },
});
const created = (attempt: number, minute = 4): RunnerEvent => ({
  type: 'RunnerRegistrationCreated',
  data: { attempt, runnerName: NAME, githubRunnerId: 55, at: at(minute) },
});
const spec = deciderSpec(runnerDecider);

describe('runner decider: the registration step', () => {
  describe('RecordRegistrationRemoved (the config could not be stored)', () => {
    const remove = (attempt: number): RunnerCommand => ({
      type: 'RecordRegistrationRemoved',
      data: { attempt, at: at(5) },
    });
    const removed: RunnerEvent = {
      type: 'RunnerRegistrationRemoved',
      data: { attempt: 1, reason: 'secret-not-stored', at: at(5) },
    };
    it('the attempt that recorded Created removes its registration, and the next claim is taken at once as attempt 2', () => {
      spec
        .given([...machineUp, started(1, 3), created(1)])
        .when(remove(1))
        .then([removed])
        .thenState({
          machine: { registration: null, registering: { attempt: 1, created: null, removed: true } },
        });
      spec
        .given([...machineUp, started(1, 3), created(1), removed])
        .when(start(5, 1))
        .then([started(2, 5, 1)]);
    });
    it('another attempt, or one whose config was delivered, removes nothing', () => {
      spec
        .given([...machineUp, started(1, 3), created(1)])
        .when(remove(2))
        .thenNothing();
      spec
        .given([...machineUp, started(1, 3), created(1), registered])
        .when(remove(1))
        .thenNothing();
      spec
        .given([...machineUp, started(1, 3)])
        .when(remove(1))
        .thenNothing();
    });
  });

  describe('StartRegistration', () => {
    it('a runner with a machine and no registration claims attempt 1', () => {
      spec
        .given(machineUp)
        .when(start(3))
        .then([started(1, 3)])
        .thenState({ machine: { registering: { attempt: 1, since: at(3), created: null } } });
    });
    it('a second claim within the lease is refused: another invocation is registering it', () => {
      spec
        .given([...machineUp, started(1, 3)])
        .when(start(4))
        .thenRejects({ reason: 'registration-in-progress', since: at(3) });
    });
    it('a claim older than the lease is taken over with the next attempt', () => {
      spec
        .given([...machineUp, started(1, 3)])
        .when(start(5, 1))
        .then([started(2, 5, 1)])
        .thenState({ machine: { registering: { attempt: 2 } } });
    });
    it('a claim after GitHub created the registration is refused: its config may be in the secret store', () => {
      spec
        .given([...machineUp, started(1, 3), created(1)])
        .when(start(30))
        .thenRejects({ reason: 'registration-created', attempt: 1 });
    });
    it('a runner already registered records nothing', () => {
      spec
        .given([...machineUp, registered])
        .when(start(3))
        .thenNothing();
    });
    it('a runner without a machine cannot be registered', () => {
      spec
        .given([requested(), launchStarted()])
        .when(start(3))
        .thenRejects({ reason: 'not-registrable', status: 'launching' });
    });
    it('a terminating or ended runner cannot be registered', () => {
      spec
        .given([...idle(), terminationRequested()])
        .when(start(9))
        .thenRejects({ reason: 'not-registrable', status: 'terminating' });
      spec
        .given([...machineUp, terminated])
        .when(start(11))
        .thenRejects({ reason: 'not-registrable', status: 'terminated' });
      spec
        .given([requested(), launchStarted(), launchFailed(1, true)])
        .when(start(3))
        .thenRejects({ reason: 'not-registrable', status: 'launch_failed' });
    });
  });

  describe('RecordRegistrationCreated', () => {
    it('the attempt holding the claim records that GitHub created its registration', () => {
      spec
        .given([...machineUp, started(1, 3)])
        .when(create(1))
        .then([created(1)])
        .thenState({
          machine: { registering: { attempt: 1, since: at(4), created: { githubRunnerId: 55 } } },
        });
    });
    it('an attempt that lost its claim records nothing, so it never writes its config', () => {
      spec
        .given([...machineUp, started(1, 3), started(2, 6)])
        .when(create(1))
        .thenNothing();
    });
    it('a repeat records nothing', () => {
      spec
        .given([...machineUp, started(1, 3), created(1)])
        .when(create(1))
        .thenNothing();
    });
    it('after the machine is gone nothing is recorded, so no config is written for it', () => {
      spec
        .given([...machineUp, started(1, 3), terminated])
        .when(create(1))
        .thenNothing();
    });
    it('without a claim nothing is recorded', () => {
      spec.given(machineUp).when(create(1)).thenNothing();
    });
  });

  describe('RecordRegistrationIssued', () => {
    it('the secret is in the store: the runner is registered and the step is over', () => {
      spec
        .given([...machineUp, started(1, 3), created(1)])
        .when({ type: 'RecordRegistrationIssued', data: { runnerName: NAME, githubRunnerId: 55, at: T(5) } })
        .then([
          { type: 'RunnerRegistrationIssued', data: { runnerName: NAME, githubRunnerId: 55, at: T(5) } },
        ])
        .thenState({ machine: { registration: { runnerName: NAME, githubRunnerId: 55 } } });
    });
    it('a registration an earlier attempt delivered is adopted', () => {
      const adopted = { runnerName: NAME, githubRunnerId: 56, adopted: true, at: T(7) };
      spec
        .given([...machineUp, started(1, 3), started(2, 6)])
        .when({ type: 'RecordRegistrationIssued', data: adopted })
        .then([{ type: 'RunnerRegistrationIssued', data: adopted }]);
    });
  });
});
