import {
  toIso,
  toMillis,
  type DeleteRunnerOutcome,
  type IsoTime,
  type JitConfigRequest,
  type JitConfigResult,
  type JobId,
  type JobStatus,
  type RegisteredRunnerView,
  type RerunJobOutcome,
  type RunnerRegistry,
  type WebhookRecovery,
} from '@hangar/core';
import type { GitHubWorld } from './github';

/**
 * GitHub's REST API over the simulated GitHub, as the RunnerRegistry and WebhookRecovery
 * ports see it, with GitHub's rules: a JIT name already registered is answered 409 (the
 * adapter's `name-taken`), the `busy` flag (and with it the 422 on delete) lags behind a fresh assignment, a re-run
 * queues a new attempt. Without faults — the invocation wrappers add those.
 */
export class GitHubApi implements RunnerRegistry, WebhookRecovery {
  constructor(private readonly world: GitHubWorld) {}

  /** Which invocation calls next (registrations are counted per invocation). */
  setCaller(id: string): void {
    this.world.caller = id;
  }

  async createJitConfig(request: JitConfigRequest): Promise<JitConfigResult> {
    for (const existing of this.world.runners.values())
      if (existing.name === request.runnerName) return { outcome: 'name-taken' };
    this.world.nextRunner += 1;
    const id = this.world.nextRunner;
    this.world.runners.set(id, this.world.newRunner(id, request.runnerName, request.labels, true, null));
    const issued = this.world.registrationsIssued.get(request.runnerName) ?? [];
    issued.push(this.world.caller);
    this.world.registrationsIssued.set(request.runnerName, issued);
    return { outcome: 'issued', githubRunnerId: id, encodedJitConfig: `jit:${id}:${request.runnerName}` };
  }

  async createRegistrationToken(): Promise<{ token: string; expiresAt: IsoTime }> {
    return { token: `token-${this.world.nextRunner}`, expiresAt: toIso(this.world.now() + 3_600_000) };
  }

  async listRunners(): Promise<readonly RegisteredRunnerView[]> {
    const now = this.world.now();
    return [...this.world.runners.values()].map((r) => ({
      githubRunnerId: r.id,
      name: r.name,
      status: r.status,
      busy: r.busy && now >= r.busyVisibleAt,
      labels: r.labels,
    }));
  }

  async deleteRunner(_scope: unknown, githubRunnerId: number): Promise<DeleteRunnerOutcome> {
    const runner = this.world.runners.get(githubRunnerId);
    if (!runner) return 'not-found';
    if (runner.busy && this.world.now() >= runner.busyVisibleAt) return 'busy';
    this.world.runners.delete(githubRunnerId);
    const job = runner.jobId === null ? undefined : this.world.jobs.get(runner.jobId);
    if (job?.status === 'in_progress') {
      this.world.violations.record(
        'busy-runner-terminated',
        `${runner.name} (${runner.ephemeral ? 'ephemeral' : 'reusable'}, ${runner.jobsRun} jobs run before) deregistered by ${this.world.caller} ${Math.round((this.world.now() - (job.startedAt ?? 0)) / 1000)} s into job ${job.id}; GitHub still reported it idle`,
        {
          runner: runner.ephemeral ? 'ephemeral' : 'reusable',
          jobsBefore: String(runner.jobsRun),
          path: 'deregister',
          startRecorded: this.world.startRecorded(runner.machineId, job.id) ? 'yes' : 'no',
        },
      );
      this.world.complete(job, 'failure', 'runner-deleted');
    }
    return 'deleted';
  }

  async getJobStatus(
    _owner: string,
    _repo: string,
    jobId: JobId,
  ): Promise<{ status: JobStatus; conclusion: string | null } | null> {
    const job = this.world.jobs.get(Number(jobId));
    return job ? { status: job.status, conclusion: job.conclusion } : null;
  }

  /**
   * GitHub's answers to a re-run (201, or 403 with its reasons): a job of a run still in
   * progress is `not-yet`; a job whose run GitHub will not retry (`rerunRefused`, e.g. a
   * reusable workflow's) or that already has a newer attempt is `refused`.
   */
  async rerunJob(_owner: string, _repo: string, jobId: JobId): Promise<RerunJobOutcome> {
    const job = this.world.jobs.get(Number(jobId));
    if (!job) return { kind: 'refused', reason: 'job-not-found', detail: 'HTTP 404 Not Found' };
    const attempts = [...this.world.jobs.values()].filter((j) => j.logical === job.logical);
    if (job.status !== 'completed' || attempts.some((j) => j.status !== 'completed'))
      return {
        kind: 'not-yet',
        reason: 'run-in-progress',
        detail: 'HTTP 403: This workflow is already running',
      };
    if (job.rerunRefused)
      return {
        kind: 'refused',
        reason: 'not-retryable',
        detail: 'HTTP 403: This workflow run is not retryable',
      };
    if (job.conclusion === 'success' || attempts.some((j) => j.runAttempt > job.runAttempt))
      return { kind: 'refused', reason: 'not-retryable', detail: 'sim: attempt already succeeded or re-run' };
    this.world.queueJob(job.labels, job.durationMs, job);
    return { kind: 'requested' };
  }

  async redeliverFailed(
    since: IsoTime,
    maxApiCalls: number,
  ): Promise<{ inspected: number; redelivered: number }> {
    const from = toMillis(since);
    const delivered = new Set(this.world.deliveries.filter((d) => d.status === 'ok').map((d) => d.guid));
    const failed = this.world.deliveries.filter(
      (d) => d.status === 'failed' && !d.redelivered && d.createdAt >= from,
    );
    let redelivered = 0;
    for (const delivery of failed) {
      if (delivered.has(delivery.guid) || redelivered >= maxApiCalls - 1) continue;
      delivery.redelivered = true;
      delivered.add(delivery.guid);
      this.world.deliveries.push({
        ...delivery,
        status: 'pending',
        dueAt: this.world.now(),
        redelivered: false,
      });
      redelivered += 1;
    }
    return { inspected: failed.length, redelivered };
  }
}
