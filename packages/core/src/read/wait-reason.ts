import type { ScaleUpRejected } from '../job/job.events';
import { toMillis, type IsoTime, type RunnerId } from '../shared/brand';
import { eventTime, lastOf, type JobHistory, type Recorded, type RunnerHistory } from './histories';
import { runnerWaitReason } from './runner-wait-reason';
import type { WaitReason } from './wait-reason-types';

const later = (a: IsoTime, b: IsoTime): boolean => toMillis(a) >= toMillis(b);

/**
 * Why `job` is waiting, from what its stream and its latest runner's stream recorded;
 * null unless the job is queued. `runners` are the histories of the runners requested for
 * the job (only the latest request's is used; a missing one means it was never written).
 */
export function waitReason(job: JobHistory, runners: readonly RunnerHistory[]): WaitReason | null {
  const state = job.state;
  if (state.status !== 'queued') return null;
  const queuedAt = state.queuedAt ?? job.events[0]?.metadata.recordedAt ?? '1970-01-01T00:00:00.000Z';
  if (state.unroutable !== null) {
    const marked = lastOf(job.events, 'JobUnroutable');
    return {
      code: 'unroutable',
      unroutable: state.unroutable,
      labels: state.info?.labels ?? [],
      repository: state.info ? `${state.info.owner}/${state.info.repo}` : null,
      since: marked ? eventTime(marked) : queuedAt,
    };
  }
  const waiting = lastOf(job.events, 'JobWaiting');
  const rejection = lastOf(job.events, 'ScaleUpRejected');
  const request = lastOf(job.events, 'RunnerRequestedForJob');
  const decisions = [rejection, request].filter((event) => event !== undefined).map(eventTime);
  const latestDecision = decisions.sort().at(-1);
  // GitHub sends `queued` again once an environment is approved, and scale-up acts on it:
  // a wait reported after our last decision is still the reason.
  if (waiting && (latestDecision === undefined || later(eventTime(waiting), latestDecision))) {
    return { code: 'awaiting-approval', since: eventTime(waiting) };
  }
  if (!rejection && !request) return { code: 'awaiting-scale-up', since: queuedAt };
  if (rejection && (!request || later(eventTime(rejection), eventTime(request)))) {
    return rejectionReason(job, rejection, runners);
  }
  const latest = request as NonNullable<typeof request>;
  const runner = runners.find((candidate) => candidate.runnerId === latest.data.runnerId);
  return runnerWaitReason(job.jobId, latest.data, runner);
}

function rejectionReason(
  job: JobHistory,
  rejection: Recorded<ScaleUpRejected>,
  runners: readonly RunnerHistory[],
): WaitReason {
  const { poolId, detail } = rejection.data;
  switch (rejection.data.reason) {
    case 'max-runners-reached':
      if (rejection.data.final) return { code: 'gave-up', poolId, detail, since: eventTime(rejection) };
      return {
        code: 'pool-at-max',
        poolId,
        alive: rejection.data.alive ?? null,
        max: rejection.data.max ?? null,
        detail,
        since: streakStart(job, rejection),
      };
    case 'job-not-queued-on-github':
      return { code: 'not-queued-on-github', poolId, detail, since: eventTime(rejection) };
    case 'launch-failed': {
      const request = lastOf(job.events, 'RunnerRequestedForJob');
      const runner = runners.find((candidate) => candidate.runnerId === request?.data.runnerId);
      if (request && runner?.view) return runnerWaitReason(job.jobId, request.data, runner);
      // The runner's stream could not be read: say what the job recorded.
      return {
        code: 'launch-failing',
        poolId,
        runnerId: request?.data.runnerId ?? ('unknown' as RunnerId),
        failure: {
          attempt: 0,
          capacityType: null,
          reason: 'unknown',
          errorCodes: [],
          placements: [],
          detail,
          final: true,
          at: eventTime(rejection),
        },
        retrying: false,
        since: eventTime(rejection),
      };
    }
  }
}

/** The first of the run of "pool at max" rejections the latest one belongs to. */
function streakStart(job: JobHistory, latest: Recorded<ScaleUpRejected>): IsoTime {
  let since = eventTime(latest);
  for (let i = job.events.length - 1; i >= 0; i -= 1) {
    const event = job.events[i];
    if (!event || event.version > latest.version) continue;
    if (event.type === 'RunnerRequestedForJob') break;
    if (event.type === 'ScaleUpRejected' && event.data.reason === 'max-runners-reached')
      since = eventTime(event);
    else if (event.type === 'ScaleUpRejected') break;
  }
  return since;
}
