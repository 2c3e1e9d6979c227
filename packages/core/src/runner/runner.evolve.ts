import { assertNever } from '../shared/assert-never';
import type { RunnerEvent } from './runner.events';
import { baseOf, hasMachine, machineOf, type Machine, type RunnerState } from './runner.state';

/** Folds one runner event into state. Total: an event that does not apply changes nothing. */
export function evolveRunner(state: RunnerState, event: RunnerEvent): RunnerState {
  if (event.type === 'RunnerRequested') {
    if (state.status !== 'none') return state;
    const { jobId, secretSuffix, ...rest } = event.data;
    return {
      ...rest,
      requestedForJobId: jobId,
      secretSuffix: secretSuffix ?? null,
      launchAttempts: 0,
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
        status: 'launching',
        attempt: event.data.attempt,
        capacityType: event.data.capacityType,
        launchStartedAt: event.data.at,
      };
    case 'RunnerLaunched': {
      if (machineOf(state)) return state;
      const machine: Machine = {
        ...event.data,
        registration: null,
        online: false,
        jobsRun: 0,
        lastFinishedJobId: null,
        interrupted: false,
      };
      if (state.status === 'terminating' || state.status === 'terminated') return { ...state, machine };
      if (state.status !== 'requested' && state.status !== 'launching') return state;
      return { ...base, status: 'launched', machine };
    }
    case 'RunnerLaunchFailed':
      if (state.status !== 'requested' && state.status !== 'launching') return state;
      if (event.data.final) {
        return {
          ...base,
          status: 'launch_failed',
          reason: event.data.reason,
          detail: event.data.detail,
          failedAt: event.data.at,
        };
      }
      return {
        ...base,
        // A failure recorded before its launch start still counts as an attempt made.
        launchAttempts: Math.max(base.launchAttempts, event.data.attempt),
        status: 'requested',
        lastFailure: { reason: event.data.reason, detail: event.data.detail },
      };
    case 'RunnerRegistrationIssued':
      return withMachine(state, (m) => ({
        ...m,
        registration: { runnerName: event.data.runnerName, githubRunnerId: event.data.githubRunnerId },
      }));
    case 'RunnerOnline':
      if (state.status !== 'launched') return state;
      return {
        ...base,
        status: 'idle',
        machine: { ...state.machine, online: true },
        idleSince: event.data.at,
      };
    case 'RunnerJobStarted': {
      const machine = machineOf(state);
      if (!machine || !(hasMachine(state) || state.status === 'terminating')) return state;
      return {
        ...base,
        status: 'busy',
        machine: { ...machine, online: true },
        currentJobId: event.data.jobId,
        busySince: event.data.at,
      };
    }
    case 'RunnerJobFinished': {
      if (!hasMachine(state)) return state;
      const machine = {
        ...state.machine,
        online: true,
        jobsRun: state.machine.jobsRun + 1,
        lastFinishedJobId: event.data.jobId ?? state.machine.lastFinishedJobId,
      };
      // An ephemeral runner serves one job, then removes itself; we only wait for its machine to go.
      if (state.ephemeral) {
        return {
          ...base,
          status: 'terminating',
          machine,
          reason: 'job-done',
          terminationRequestedAt: event.data.at,
          deregistered: true,
        };
      }
      return { ...base, status: 'idle', machine, idleSince: event.data.at };
    }
    case 'RunnerInterrupted':
      return withMachine(state, (m) => ({ ...m, interrupted: true }));
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
