import { accept, reject, type Decision } from '../shared/decider';
import type {
  RecordRegistrationCreated,
  RecordRegistrationRemoved,
  RunnerRejection,
  StartRegistration,
} from './runner.commands';
import type {
  RunnerEvent,
  RunnerRegistrationCreated,
  RunnerRegistrationRemoved,
  RunnerRegistrationIssued,
  RunnerRegistrationStarted,
} from './runner.events';
import { hasMachine, machineOf, registrationDone, type Machine, type RunnerState } from './runner.state';

/**
 * The registration step as decisions on the runner stream: one claim holder at a time calls
 * GitHub and writes the secret. The crash-safety reasoning is in application/registration-step.ts.
 */
type RunnerDecision = Decision<RunnerEvent, RunnerRejection>;

const leaseEnds = (since: string, seconds: number): number => Date.parse(since) + seconds * 1000;

export function decideStartRegistration(command: StartRegistration, state: RunnerState): RunnerDecision {
  // Only a runner whose machine is up and not being removed is worth registering.
  if (!hasMachine(state)) return reject({ reason: 'not-registrable', status: state.status });
  const { registering } = state.machine;
  if (registrationDone(state.machine)) return accept();
  const { runnerName, leaseSeconds, at } = command.data;
  if (registering?.created) return reject({ reason: 'registration-created', attempt: registering.attempt });
  // `at` before the lease's end (or malformed): the holder may still be at work.
  if (
    registering &&
    !registering.removed &&
    !(Date.parse(at) >= leaseEnds(registering.since, leaseSeconds))
  ) {
    return reject({ reason: 'registration-in-progress', since: registering.since });
  }
  return accept({
    type: 'RunnerRegistrationStarted',
    data: { attempt: (registering?.attempt ?? 0) + 1, runnerName, at },
  });
}

export function decideRegistrationCreated(
  command: RecordRegistrationCreated,
  state: RunnerState,
): RunnerDecision {
  const registering = machineOf(state)?.registering;
  // Only the attempt holding the claim: a taken-over attempt must never deliver its config.
  if (!registering || registering.attempt !== command.data.attempt || registering.created) return accept();
  // The machine is gone: nothing may boot from the config (the orphan sweep removes the registration).
  if (state.status === 'terminated' || state.status === 'launch_failed') return accept();
  return accept({ type: 'RunnerRegistrationCreated', data: command.data });
}

/** Only the attempt that recorded Created, while its config is not delivered, removes its registration. */
export function decideRegistrationRemoved(
  command: RecordRegistrationRemoved,
  state: RunnerState,
): RunnerDecision {
  const registering = machineOf(state)?.registering;
  if (!registering?.created || registering.delivered || registering.attempt !== command.data.attempt)
    return accept();
  return accept({
    type: 'RunnerRegistrationRemoved',
    data: { attempt: command.data.attempt, reason: 'secret-not-stored', at: command.data.at },
  });
}

export function registrationRemoved(machine: Machine, event: RunnerRegistrationRemoved): Machine {
  const { registering } = machine;
  if (registering?.attempt !== event.data.attempt || !registering.created || registering.delivered)
    return machine;
  return { ...machine, registration: null, registering: { ...registering, created: null, removed: true } };
}

export function registrationStarted(machine: Machine, event: RunnerRegistrationStarted): Machine {
  return {
    ...machine,
    registering: { attempt: event.data.attempt, since: event.data.at, created: null, delivered: false },
  };
}

export function registrationCreated(machine: Machine, event: RunnerRegistrationCreated): Machine {
  if (machine.registering?.attempt !== event.data.attempt) return machine;
  const { attempt, runnerName, githubRunnerId, at } = event.data;
  return {
    ...machine,
    // Registered from now on: found by name, deregistered by id, whether or not the secret was written.
    registration: { runnerName, githubRunnerId },
    registering: { attempt, since: at, created: { githubRunnerId }, delivered: false },
  };
}

export function registrationIssued(machine: Machine, event: RunnerRegistrationIssued): Machine {
  return {
    ...machine,
    registration: { runnerName: event.data.runnerName, githubRunnerId: event.data.githubRunnerId },
    registering: machine.registering ? { ...machine.registering, delivered: true } : null,
    configDeliveredAt: machine.configDeliveredAt ?? event.data.at,
  };
}
