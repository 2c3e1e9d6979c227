import { assertNever } from '../shared/assert-never';
import type { JobEvent } from './job.events';
import { emptyCommon, type JobState } from './job.state';

/** Folds one job event into state. Total: events that do not apply leave the state as it is. */
export function evolveJob(state: JobState, event: JobEvent): JobState {
  const common = state.status === 'unknown' ? emptyCommon : state;
  switch (event.type) {
    case 'JobQueued': {
      const { queuedAt, ...info } = event.data;
      if (state.status === 'unknown') {
        return { ...emptyCommon, info, queuedAt, status: 'queued', waiting: false, unroutable: null };
      }
      return { ...state, info, queuedAt };
    }
    case 'JobWaiting':
      return state.status === 'queued' ? { ...state, waiting: true } : state;
    case 'JobStarted':
      if (state.status !== 'unknown' && state.status !== 'queued') return state;
      return {
        ...pickCommon(common),
        status: 'in_progress',
        runnerName: event.data.runnerName,
        startedAt: event.data.startedAt,
      };
    case 'JobCompleted':
      if (state.status === 'completed') return state;
      return {
        ...pickCommon(common),
        status: 'completed',
        conclusion: event.data.conclusion,
        runnerName: event.data.runnerName ?? (state.status === 'in_progress' ? state.runnerName : null),
        startedAt: state.status === 'in_progress' ? state.startedAt : null,
        completedAt: event.data.completedAt,
        rerunRequested: false,
        rerunRefused: null,
        rerunDeferred: false,
      };
    case 'RunnerRequestedForJob':
      if (state.status === 'unknown') return state;
      return {
        ...state,
        requests: [
          ...state.requests,
          {
            runnerId: event.data.runnerId,
            poolId: event.data.poolId,
            attempt: event.data.attempt,
            at: event.data.requestedAt,
          },
        ],
      };
    case 'ScaleUpRejected':
      return state.status === 'unknown' ? state : { ...state, lastRejectedAt: event.data.at };
    case 'JobUnroutable':
      return state.status === 'queued' ? { ...state, unroutable: event.data.reason } : state;
    case 'JobInterrupted':
      return state.status === 'unknown' ? state : { ...state, interruptedAt: event.data.at };
    case 'JobRerunRequested':
      return state.status === 'completed' ? { ...state, rerunRequested: true } : state;
    case 'JobRerunRefused':
      return state.status === 'completed' ? { ...state, rerunRefused: event.data.reason } : state;
    case 'JobRerunDeferred':
      return state.status === 'completed' ? { ...state, rerunDeferred: true } : state;
    default:
      return assertNever(event);
  }
}

function pickCommon(common: typeof emptyCommon) {
  return {
    info: common.info,
    queuedAt: common.queuedAt,
    requests: common.requests,
    lastRejectedAt: common.lastRejectedAt,
    interruptedAt: common.interruptedAt,
  };
}
