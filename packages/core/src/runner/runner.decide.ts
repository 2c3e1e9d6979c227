import { assertNever } from '../shared/assert-never';
import { accept, reject, type Decision } from '../shared/decider';
import type { RunnerCommand, RunnerRejection } from './runner.commands';
import type { RunnerEvent } from './runner.events';
import { jobFinishIsNew, jobStartIsNew } from './runner.jobs';
import {
  decideRegistrationCreated,
  decideRegistrationRemoved,
  decideStartRegistration,
} from './runner.registration';
import { hasMachine, machineOf, registrationDone, type RunnerState } from './runner.state';

type RunnerDecision = Decision<RunnerEvent, RunnerRejection>;
const nothing: RunnerDecision = accept();

const ended = (state: RunnerState): boolean =>
  state.status === 'terminated' || state.status === 'launch_failed';

/**
 * Decides what a command means for one runner. The one invariant that protects jobs:
 * termination is refused while the runner is busy, and a job start that arrives while a
 * termination is under way (before GitHub deregistration) cancels the termination.
 */
export function decideRunner(command: RunnerCommand, state: RunnerState): RunnerDecision {
  switch (command.type) {
    case 'RequestRunner': {
      if (state.status !== 'none') return nothing;
      // The reconciler gave this id's slot back: a late scale-up must not run it without one.
      if (state.withdrawnAt !== undefined)
        return reject({ reason: 'request-withdrawn', at: state.withdrawnAt });
      const { at, ...rest } = command.data;
      return accept({ type: 'RunnerRequested', data: { ...rest, requestedAt: at } });
    }
    case 'WithdrawRunnerRequest':
      if (state.status !== 'none') return reject({ reason: 'runner-requested', status: state.status });
      if (state.withdrawnAt !== undefined) return nothing;
      return accept({
        type: 'RunnerRequestWithdrawn',
        data: { poolId: command.data.poolId, reason: 'reservation-abandoned', at: command.data.at },
      });
    case 'StartLaunch':
      // Calling again after a crash or an unknown outcome: the attempt (and so the idempotency
      // key) stays the same; recorded, so a machine-less termination knows a call may be in flight.
      if (state.status === 'launching') {
        return accept({ type: 'RunnerLaunchResumed', data: { attempt: state.attempt, at: command.data.at } });
      }
      if (state.status !== 'requested') return reject({ reason: 'not-launchable', status: state.status });
      return accept({
        type: 'RunnerLaunchStarted',
        data: {
          attempt: state.launchAttempts + 1,
          capacityType: command.data.capacityType,
          at: command.data.at,
        },
      });
    case 'RecordLaunchSucceeded': {
      const machine = machineOf(state);
      if (machine || state.status === 'none' || ended(state)) return nothing;
      const { at, ...rest } = command.data;
      return accept({ type: 'RunnerLaunched', data: { ...rest, launchedAt: at } });
    }
    case 'RecordLaunchFailed': {
      if (state.status !== 'launching' && state.status !== 'requested') return nothing;
      if (state.status === 'launching' && state.attempt !== command.data.attempt) return nothing;
      // Back in `requested`, a failure of an attempt already counted is a redelivery: recording
      // it again would retry the launch twice.
      if (state.status === 'requested' && command.data.attempt <= state.launchAttempts) return nothing;
      const { retryable, maxAttempts, ...rest } = command.data;
      return accept({
        type: 'RunnerLaunchFailed',
        data: { ...rest, final: !retryable || rest.attempt >= maxAttempts },
      });
    }
    case 'StartRegistration':
      return decideStartRegistration(command, state);
    case 'RecordLaunchOutcomeUnknown':
      // Once per call: a repeat, another attempt's, or any after the machine is known is nothing new.
      if (state.status !== 'launching' || state.attempt !== command.data.attempt) return nothing;
      if (state.outcomeUnknown !== null) return nothing;
      return accept({ type: 'RunnerLaunchOutcomeUnknown', data: command.data });
    case 'RecordRegistrationCreated':
      return decideRegistrationCreated(command, state);
    case 'RecordRegistrationRemoved':
      return decideRegistrationRemoved(command, state);
    case 'RecordRegistrationIssued': {
      const machine = machineOf(state);
      if (!machine || registrationDone(machine) || ended(state)) return nothing;
      return accept({ type: 'RunnerRegistrationIssued', data: command.data });
    }
    case 'RecordRunnerOnline':
      return state.status === 'launched' ? accept({ type: 'RunnerOnline', data: command.data }) : nothing;
    case 'RecordRunnerJobStarted':
      if (!jobStartIsNew(state, command.data.jobId, command.data.at)) return nothing;
      if (hasMachine(state)) return accept({ type: 'RunnerJobStarted', data: command.data });
      // A job start while a termination is under way (before deregistration) cancels it.
      if (state.status === 'terminating' && !state.deregistered) {
        return accept({ type: 'RunnerJobStarted', data: command.data });
      }
      return nothing;
    case 'RecordRunnerJobFinished':
      // `completed` may come before `in_progress`, and between another job's start and finish.
      // After the machine is gone it is still a fact about it: a spot interruption may need it.
      if (jobFinishIsNew(state, command.data.jobId)) {
        return accept({ type: 'RunnerJobFinished', data: command.data });
      }
      return nothing;
    case 'RecordSpotInterruption': {
      const machine = machineOf(state);
      // Recorded even after the machine is gone: the jobs it killed are re-run from it.
      if (!machine || machine.interruptedAt !== null) return nothing;
      return accept({ type: 'RunnerInterrupted', data: command.data });
    }
    case 'RequestTermination':
      return decideTermination(command.data, state);
    case 'RecordDeregistered':
      if (hasMachine(state) || (state.status === 'terminating' && !state.deregistered)) {
        return accept({ type: 'RunnerDeregistered', data: command.data });
      }
      return nothing;
    case 'RecordInstanceTerminated': {
      if (state.status === 'none' || ended(state)) return nothing;
      const { at } = command.data;
      const terminatedEvent: RunnerEvent = { type: 'RunnerTerminated', data: { at } };
      const deregisteredEvent: RunnerEvent = { type: 'RunnerDeregistered', data: { at } };
      // Retirement records the deregistration it just did with the termination: one append.
      return command.data.deregistered === true && state.status === 'terminating' && !state.deregistered
        ? accept<RunnerEvent>(deregisteredEvent, terminatedEvent)
        : accept(terminatedEvent);
    }
    default:
      return assertNever(command);
  }
}

function decideTermination(
  data: Extract<RunnerCommand, { type: 'RequestTermination' }>['data'],
  state: RunnerState,
): RunnerDecision {
  switch (state.status) {
    case 'none':
      return reject({ reason: 'unknown-runner' });
    case 'busy':
      return reject({ reason: 'runner-busy', jobId: state.currentJobId });
    case 'terminated':
    case 'launch_failed':
      return reject({ reason: 'runner-ended', status: state.status });
    case 'terminating':
      return nothing;
    case 'requested':
    case 'launching':
    case 'launched':
    case 'idle':
      return accept({ type: 'RunnerTerminationRequested', data });
    default:
      return assertNever(state);
  }
}
