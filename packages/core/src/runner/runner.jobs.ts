import type { IsoTime, JobId } from '../shared/brand';
import type { RunnerJobFinished, RunnerJobStarted } from './runner.events';
import { baseOf, hasMachine, machineOf, type Machine, type RunnerState } from './runner.state';

/**
 * Which jobs a runner runs, from GitHub's job facts. A runner runs one job at a time, but the
 * deliveries about consecutive jobs interleave: the next job's `in_progress` can come before
 * the previous job's `completed`, and a job's `completed` before its own `in_progress`. So a
 * runner keeps the jobs it was seen starting and not seen finishing (`busy` while any is
 * left), and the jobs it finished lately (a late `in_progress` or a repeated `completed` of
 * one of them changes nothing).
 */

/**
 * How many finished jobs a runner remembers by id. A delivery older than that many jobs is
 * still caught by time: see `startIsStale`.
 */
export const RECENT_FINISHED_JOBS = 32;

/** Milliseconds of an ISO time; NaN compares false, so a malformed time is never "before". */
const before = (a: IsoTime, b: IsoTime): boolean => Date.parse(a) < Date.parse(b);

/** Named jobs running now (empty when busy with a job GitHub did not name, or not busy). */
export function runningJobIds(state: RunnerState): readonly JobId[] {
  return state.status === 'busy' ? state.runningJobIds : [];
}

export function finishedRecently(machine: Machine, jobId: JobId): boolean {
  return machine.finishedJobs.some((job) => job.jobId === jobId);
}

/**
 * A start dated before the end of a job the runner finished is stale: one job at a time means
 * that job ran after it, so it had finished already (both times are GitHub's own clock).
 */
function startIsStale(machine: Machine, at: IsoTime): boolean {
  return machine.latestFinishAt !== null && before(at, machine.latestFinishAt);
}

/** Does `in_progress` of `jobId` tell this runner something new? */
export function jobStartIsNew(state: RunnerState, jobId: JobId | null, at: IsoTime): boolean {
  const machine = machineOf(state);
  if (!machine) return false;
  // "Busy" without a job id (GitHub refused a deregistration) says nothing new to a busy runner.
  if (jobId === null) return state.status !== 'busy';
  if (finishedRecently(machine, jobId) || runningJobIds(state).includes(jobId)) return false;
  return !startIsStale(machine, at);
}

/** Does `completed` of `jobId` tell this runner something new? */
export function jobFinishIsNew(state: RunnerState, jobId: JobId | null): boolean {
  const machine = machineOf(state);
  if (!machine) return false;
  // An anonymous finish only ends an anonymous busy: it cannot say which named job ended.
  if (jobId === null) return state.status === 'busy' && state.runningJobIds.length === 0;
  return !finishedRecently(machine, jobId);
}

/** The machine after it finished a job (kept also when the runner is terminating or gone). */
function withFinishedJob(machine: Machine, jobId: JobId | null, at: IsoTime): Machine {
  const previous = machine.latestFinishAt;
  return {
    ...machine,
    jobsRun: machine.jobsRun + 1,
    finishedJobs:
      jobId === null
        ? machine.finishedJobs
        : [{ jobId, finishedAt: at }, ...machine.finishedJobs].slice(0, RECENT_FINISHED_JOBS),
    latestFinishAt: jobId === null || (previous !== null && before(at, previous)) ? previous : at,
  };
}

/** Folds a job start: busy with every job seen starting and not finishing yet. */
export function startJob(state: RunnerState, event: RunnerJobStarted): RunnerState {
  const machine = machineOf(state);
  if (state.status === 'none' || !machine || !(hasMachine(state) || state.status === 'terminating')) {
    return state;
  }
  const { jobId, at } = event.data;
  const running = runningJobIds(state).filter((id) => id !== jobId);
  const wasBusy = state.status === 'busy';
  return {
    ...baseOf(state),
    status: 'busy',
    machine: { ...machine, online: true },
    // A named start replaces "busy with an unknown job": that job is this one, or has ended.
    runningJobIds: jobId === null ? running : [...running, jobId],
    currentJobId: jobId ?? (wasBusy ? state.currentJobId : null),
    busySince: wasBusy ? state.busySince : at,
  };
}

/** Folds a job finish: idle only when no job seen starting is left (an ephemeral runner is done). */
export function finishJob(state: RunnerState, event: RunnerJobFinished): RunnerState {
  const { jobId, at } = event.data;
  if ((state.status === 'terminating' || state.status === 'terminated') && state.machine) {
    return { ...state, machine: withFinishedJob(state.machine, jobId, at) };
  }
  if (!hasMachine(state)) return state;
  const machine: Machine = { ...withFinishedJob(state.machine, jobId, at), online: true };
  const latestFinishAt = machine.latestFinishAt;
  const base = baseOf(state);
  // An ephemeral runner serves one job, then removes itself; we only wait for its machine to go.
  if (state.ephemeral) {
    return {
      ...base,
      status: 'terminating',
      machine,
      reason: 'job-done',
      terminationRequestedAt: at,
      deregistered: true,
    };
  }
  const running = runningJobIds(state).filter((id) => id !== jobId);
  if (state.status === 'busy' && running.length > 0) {
    return { ...state, machine, runningJobIds: running, currentJobId: running.at(-1) ?? null };
  }
  return { ...base, status: 'idle', machine, idleSince: latestFinishAt ?? at };
}

/**
 * The jobs a spot interruption of this runner may have killed: those running, and those that
 * finished at or after the warning (GitHub reports a killed job failed after the warning).
 * Jobs that finished before it failed or succeeded on their own.
 */
export function jobsHitByInterruption(state: RunnerState): readonly JobId[] {
  const machine = machineOf(state);
  const at = machine?.interruptedAt;
  if (!machine || !at) return [];
  const finished = machine.finishedJobs.filter((job) => !before(job.finishedAt, at)).map((job) => job.jobId);
  return [...runningJobIds(state), ...finished.filter((jobId) => !runningJobIds(state).includes(jobId))];
}

/**
 * When the interruption that may have killed `jobId` on this runner was warned of, or null:
 * the runner was never interrupted, or it finished the job before the warning.
 */
export function interruptionOf(state: RunnerState, jobId: JobId): IsoTime | null {
  const machine = machineOf(state);
  const at = machine?.interruptedAt;
  if (!machine || !at) return null;
  const finished = machine.finishedJobs.find((job) => job.jobId === jobId);
  return finished && before(finished.finishedAt, at) ? null : at;
}
