import type { ScalerSettings } from '../config/pool-config';
import { minutesBetween, type InstanceId, type IsoTime, type JobId, type RunnerId } from '../shared/brand';
import type { ComputeInstanceView, JobView, RegisteredRunnerView, RunnerView } from './views';

export type RunnerNeedReason = 'no-runner' | 'runner-failed' | 'runner-stalled' | 'runner-interrupted';

export interface RunnerNeed {
  readonly jobId: JobId;
  readonly reason: RunnerNeedReason;
  /**
   * The request cap for the next request: `maxRunnerRequestsPerJob` plus the requests whose
   * runner ran another job (GitHub gave it to an older job). Those do not count as failures,
   * or a job behind a long queue would run out of requests while others use its runners.
   */
  readonly maxAttempts: number;
}

/**
 * Queued jobs that need a runner (again): older than `jobRetryAfterMinutes`, younger than
 * the queue limit, below the request cap, not currently waiting on a pool at its maximum
 * (a recent rejection means scale-up is already retrying), and whose latest runner ended
 * or has not served it within `jobRetryAfterMinutes` (GitHub may have given that runner
 * another job with the same labels).
 */
export function jobsNeedingRunner(input: {
  readonly jobs: readonly JobView[];
  readonly runners: ReadonlyMap<RunnerId, RunnerView>;
  readonly settings: ScalerSettings;
  readonly now: IsoTime;
}): readonly RunnerNeed[] {
  const { settings, now } = input;
  const needs: RunnerNeed[] = [];
  for (const job of input.jobs) {
    if (job.status !== 'queued' && job.status !== 'waiting') continue;
    if (job.unroutable !== null) continue;
    const age = minutesBetween(job.queuedAt, now);
    if (age < settings.jobRetryAfterMinutes || age >= settings.jobQueueLimitMinutes) continue;
    const taken = job.requests.filter((request) => {
      const runner = input.runners.get(request.runnerId);
      return runner !== undefined && (runner.jobsRun ?? 0) > 0 && runner.currentJobId !== job.jobId;
    }).length;
    const maxAttempts = settings.maxRunnerRequestsPerJob + taken;
    if (job.requests.length >= maxAttempts) continue;
    if (
      job.lastRejectedAt !== null &&
      minutesBetween(job.lastRejectedAt, now) < settings.jobRetryAfterMinutes
    )
      continue;
    const latest = job.requests.at(-1);
    if (!latest) {
      needs.push({ jobId: job.jobId, reason: 'no-runner', maxAttempts });
      continue;
    }
    const runner = input.runners.get(latest.runnerId);
    if (!runner || runner.status === 'launch_failed' || runner.status === 'terminated') {
      needs.push({ jobId: job.jobId, reason: 'runner-failed', maxAttempts });
      continue;
    }
    if (runner.status === 'terminating') {
      needs.push({
        jobId: job.jobId,
        reason: runner.terminationReason === 'spot-interruption' ? 'runner-interrupted' : 'runner-failed',
        maxAttempts,
      });
      continue;
    }
    if (runner.status === 'busy' && runner.currentJobId === job.jobId) continue;
    if (minutesBetween(latest.at, now) >= settings.jobRetryAfterMinutes) {
      needs.push({ jobId: job.jobId, reason: 'runner-stalled', maxAttempts });
    }
  }
  return needs;
}

/**
 * Machines tagged as Hangar's whose runner is unknown or ended, older than the grace period.
 * Untagged machines are never ours to judge.
 */
export function orphanInstances(input: {
  readonly instances: readonly ComputeInstanceView[];
  readonly runnerOf: (runnerId: RunnerId) => RunnerView | undefined;
  readonly now: IsoTime;
  readonly graceMinutes: number;
}): readonly {
  readonly instanceId: InstanceId;
  readonly reason: 'untracked' | 'runner-ended' | 'duplicate';
}[] {
  const orphans: { instanceId: InstanceId; reason: 'untracked' | 'runner-ended' | 'duplicate' }[] = [];
  for (const instance of input.instances) {
    if (instance.runnerId === null) continue;
    if (instance.state === 'terminated' || instance.state === 'stopping') continue;
    if (minutesBetween(instance.launchedAt, input.now) < input.graceMinutes) continue;
    const runner = input.runnerOf(instance.runnerId);
    if (!runner) orphans.push({ instanceId: instance.instanceId, reason: 'untracked' });
    else if (runner.status === 'terminated' || runner.status === 'launch_failed') {
      orphans.push({ instanceId: instance.instanceId, reason: 'runner-ended' });
    } else if (runner.instanceId !== null && runner.instanceId !== instance.instanceId) {
      // A second machine for one runner (only possible if idempotency failed): not the one we track.
      orphans.push({ instanceId: instance.instanceId, reason: 'duplicate' });
    }
  }
  return orphans;
}

/** Offline, idle GitHub registrations named like ours with no live runner behind them. */
export function orphanRegistrations(input: {
  readonly registrations: readonly RegisteredRunnerView[];
  readonly runnersByName: ReadonlyMap<string, RunnerView>;
  readonly namePrefixes: readonly string[];
}): readonly { readonly githubRunnerId: number; readonly name: string }[] {
  return (
    input.registrations
      .filter((registration) => registration.status === 'offline' && !registration.busy)
      // An empty prefix would claim every runner of the organisation: never ours to judge.
      .filter((registration) =>
        input.namePrefixes.some((prefix) => prefix !== '' && registration.name.startsWith(prefix)),
      )
      .filter((registration) => {
        const runner = input.runnersByName.get(registration.name);
        return !runner || runner.status === 'terminated' || runner.status === 'launch_failed';
      })
      .map((registration) => ({ githubRunnerId: registration.githubRunnerId, name: registration.name }))
  );
}
