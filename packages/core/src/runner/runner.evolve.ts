import { assertNever } from '../shared/assert-never';
import type { RunnerEvent } from './runner.events';
import { finishJob, startJob } from './runner.jobs';
import {
  registrationCreated,
  registrationIssued,
  registrationRemoved,
  registrationStarted,
} from './runner.registration';
import { baseOf, hasMachine, machineOf, type Machine, type RunnerState } from './runner.state';

/** Folds one runner event into state. Total: an event that does not apply changes nothing. */
export function evolveRunner(state: RunnerState, event: RunnerEvent): RunnerState {
  if (event.type === 'RunnerRequestWithdrawn') {
    return state.status === 'none'
      ? { status: 'none', withdrawnAt: state.withdrawnAt ?? event.data.at }
      : state;
  }
  if (event.type === 'RunnerRequested') {
    if (state.status !== 'none' || state.withdrawnAt !== undefined) return state;
    const { jobId, secretSuffix, ...rest } = event.data;
    return {
      ...rest,
      requestedForJobId: jobId,
      secretSuffix: secretSuffix ?? null,
      launchAttempts: 0,
      lastLaunchCallAt: null,
      launchFailures: 0,
      lastLaunchFailureAt: null,
      status: 'requested',
      lastFailure: null,
    };
  }
  if (state.status === 'none') return state;
  const base = baseOf(state);
  switch (event.type) {
    case 'RunnerLaunchStarted':
      if (state.status !== 'requested') return state;
      return {
        ...base,
        launchAttempts: event.data.attempt,
        lastLaunchCallAt: event.data.at,
        status: 'launching',
        attempt: event.data.attempt,
        capacityType: event.data.capacityType,
        launchStartedAt: event.data.at,
        outcomeUnknown: null,
      };
    case 'RunnerLaunchResumed':
      if (state.status !== 'launching' || state.attempt !== event.data.attempt) return state;
      return { ...state, lastLaunchCallAt: event.data.at, outcomeUnknown: null };
    case 'RunnerLaunchOutcomeUnknown':
      if (state.status !== 'launching' || state.attempt !== event.data.attempt) return state;
      return { ...state, outcomeUnknown: { reason: event.data.reason, detail: event.data.detail } };
    case 'RunnerLaunched': {
      if (machineOf(state)) return state;
      const machine: Machine = {
        ...event.data,
        registration: null,
        registering: null,
        configDeliveredAt: null,
        online: false,
        jobsRun: 0,
        finishedJobs: [],
        latestFinishAt: null,
        interruptedAt: null,
      };
      if (state.status === 'terminating' || state.status === 'terminated') return { ...state, machine };
      if (state.status !== 'requested' && state.status !== 'launching') return state;
      return { ...base, status: 'launched', machine };
    }
    case 'RunnerLaunchFailed': {
      if (state.status !== 'requested' && state.status !== 'launching') return state;
      const failed = { launchFailures: base.launchFailures + 1, lastLaunchFailureAt: event.data.at };
      if (event.data.final) {
        return {
          ...base,
          ...failed,
          status: 'launch_failed',
          reason: event.data.reason,
          detail: event.data.detail,
          failedAt: event.data.at,
        };
      }
      return {
        ...base,
        ...failed,
        // A failure recorded before its launch start still counts as an attempt made.
        launchAttempts: Math.max(base.launchAttempts, event.data.attempt),
        status: 'requested',
        lastFailure: { reason: event.data.reason, detail: event.data.detail },
      };
    }
    case 'RunnerRegistrationStarted':
      return hasMachine(state) ? { ...state, machine: registrationStarted(state.machine, event) } : state;
    case 'RunnerRegistrationCreated':
      return withMachine(state, (m) => registrationCreated(m, event));
    case 'RunnerRegistrationRemoved':
      return withMachine(state, (m) => registrationRemoved(m, event));
    case 'RunnerRegistrationIssued':
      return withMachine(state, (m) => registrationIssued(m, event));
    case 'RunnerOnline':
      if (state.status !== 'launched') return state;
      return {
        ...base,
        status: 'idle',
        machine: { ...state.machine, online: true },
        idleSince: event.data.at,
      };
    case 'RunnerJobStarted':
      return startJob(state, event);
    case 'RunnerJobFinished':
      return finishJob(state, event);
    case 'RunnerInterrupted':
      return withMachine(state, (m) => ({ ...m, interruptedAt: m.interruptedAt ?? event.data.at }));
    case 'RunnerTerminationRequested':
      if (!['requested', 'launching', 'launched', 'idle'].includes(state.status)) return state;
      return {
        ...base,
        status: 'terminating',
        machine: machineOf(state),
        reason: event.data.reason,
        terminationRequestedAt: event.data.at,
        deregistered: false,
      };
    case 'RunnerDeregistered':
      if (state.status === 'terminating') return { ...state, deregistered: true };
      if (!hasMachine(state)) return state;
      // Without a registration the machine can never take a job: it only waits to be removed.
      return {
        ...base,
        status: 'terminating',
        machine: state.machine,
        reason: 'registration-lost',
        terminationRequestedAt: event.data.at,
        deregistered: true,
      };
    case 'RunnerTerminated':
      if (state.status === 'terminated' || state.status === 'launch_failed') return state;
      return {
        ...base,
        status: 'terminated',
        machine: machineOf(state),
        reason: state.status === 'terminating' ? state.reason : null,
        terminatedAt: event.data.at,
      };
    default:
      return assertNever(event);
  }
}

function withMachine(state: RunnerState, change: (machine: Machine) => Machine): RunnerState {
  if (hasMachine(state)) return { ...state, machine: change(state.machine) };
  if ((state.status === 'terminating' || state.status === 'terminated') && state.machine) {
    return { ...state, machine: change(state.machine) };
  }
  return state;
}
