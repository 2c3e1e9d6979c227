import { randomBytes } from 'node:crypto';
import { workflowJobPayload } from './payloads';
import { canRun } from './runner-matching';
import type { Runners } from './runners';
import type { SimClock, SimEvent } from './sim-events';
import type { FakeGitHubState } from './state';
import type { JobConclusion, JobRecord, RunnerRecord, WorkflowJobAction } from './types';
import type { DeliveryOverride, WebhookDispatcher } from './webhooks';

/** Options of `queueJob`. */
export interface QueueJobOptions {
  /** `owner/name` of an existing repository. */
  readonly repo: string;
  /** The job's `runs-on` labels, e.g. `['self-hosted', 'linux', 'x64']`. */
  readonly labels: readonly string[];
  readonly name?: string;
  /** Adds the job to an existing run instead of creating one. */
  readonly runId?: number;
  /** Completed by `tick()` once the simulation clock is this far past the assignment. */
  readonly durationMs?: number;
  /** Conclusion used by that automatic completion (default `success`). */
  readonly conclusion?: JobConclusion;
  /** Starts in `waiting` (environment approval) until `approve(jobId)`. */
  readonly waiting?: boolean;
  /** Delivery control for this job's first event only (`queued` or `waiting`). */
  readonly webhook?: DeliveryOverride;
  /** The run attempt (re-runs); default 1. */
  readonly runAttempt?: number;
  /** The job runs inside a reusable (called) workflow; GitHub refuses to re-run it alone. */
  readonly inReusableWorkflow?: boolean;
}

/** GitHub cancels a job that has been queued for 24 hours. */
const QUEUE_LIMIT_MS = 24 * 60 * 60 * 1000;

/** Workflow runs and jobs: queueing, assignment to runners, completion, and their webhooks. */
export class Jobs {
  private readonly autoConclusion = new Map<number, JobConclusion>();

  constructor(
    private readonly state: FakeGitHubState,
    private readonly clock: SimClock,
    private readonly runners: Runners,
    private readonly webhooks: WebhookDispatcher,
    private readonly emit: (event: SimEvent) => void,
    private readonly baseUrl: () => string,
  ) {}

  queue(options: QueueJobOptions): JobRecord {
    const repo = this.state.repo(options.repo);
    if (!repo) throw new Error(`Unknown repository ${options.repo}`);
    const now = this.clock.iso();
    const run = options.runId === undefined ? undefined : this.state.runs.get(options.runId);
    if (options.runId !== undefined && !run) throw new Error(`Unknown run ${options.runId}`);
    const runId = run?.id ?? this.state.id('run');
    if (!run) {
      const headSha = randomBytes(20).toString('hex');
      this.state.runs.set(runId, {
        id: runId,
        repo: repo.fullName,
        name: 'CI',
        headSha,
        headBranch: 'main',
        createdAt: now,
        updatedAt: now,
        cancelRequested: false,
      });
    }
    const job: JobRecord = {
      id: this.state.id('job'),
      runId,
      repo: repo.fullName,
      name: options.name ?? 'build',
      labels: [...options.labels],
      runAttempt: options.runAttempt ?? 1,
      ...(options.inReusableWorkflow ? { inReusableWorkflow: true } : {}),
      createdAt: now,
      durationMs: options.durationMs ?? null,
      status: options.waiting ? 'waiting' : 'queued',
      conclusion: null,
      // GitHub fills started_at from the moment the job is created, and again when it starts.
      startedAt: now,
      startedAtMs: null,
      completedAt: null,
      runnerId: null,
      runnerName: null,
      runnerGroupId: null,
      runnerGroupName: null,
    };
    this.state.jobs.set(job.id, job);
    if (options.conclusion) this.autoConclusion.set(job.id, options.conclusion);
    this.emit(
      options.waiting
        ? { type: 'job-waiting', jobId: job.id }
        : { type: 'job-queued', jobId: job.id, runId, repo: repo.fullName },
    );
    this.send(job, options.waiting ? 'waiting' : 'queued', options.webhook);
    return job;
  }

  /** An environment approval: `waiting` → `queued`. */
  approve(jobId: number): void {
    const job = this.get(jobId);
    if (job.status !== 'waiting') throw new Error(`Job ${jobId} is ${job.status}, not waiting`);
    job.status = 'queued';
    this.emit({ type: 'job-queued', jobId, runId: job.runId, repo: job.repo });
    this.send(job, 'queued');
  }

  /**
   * One assignment pass, GitHub-style: each queued job (oldest first) goes to the lowest-id idle
   * online runner whose labels include all the job's labels. A JIT runner is not bound to the job
   * it was created for, so runners "steal" each other's jobs exactly as on GitHub.
   */
  assignAll(): Array<{ jobId: number; runnerId: number }> {
    const idle = [...this.state.runners.values()].filter((r) => r.status === 'online' && !r.busy);
    const assigned: Array<{ jobId: number; runnerId: number }> = [];
    for (const job of this.state.jobs.values()) {
      if (idle.length === 0) break;
      if (job.status !== 'queued') continue;
      const index = idle.findIndex((runner) => canRun(this.state, job, runner));
      const runner = idle[index];
      if (!runner) continue;
      idle.splice(index, 1);
      this.start(job, runner);
      assigned.push({ jobId: job.id, runnerId: runner.id });
    }
    return assigned;
  }

  complete(jobId: number, conclusion: JobConclusion = 'success'): void {
    const job = this.get(jobId);
    if (job.status === 'completed') throw new Error(`Job ${jobId} is already completed`);
    job.status = 'completed';
    job.conclusion = conclusion;
    job.completedAt = this.clock.iso();
    this.touchRun(job);
    this.send(job, 'completed');
    const runner = job.runnerId === null ? undefined : this.state.runners.get(job.runnerId);
    if (runner && runner.jobId === job.id) {
      runner.busy = false;
      runner.jobId = null;
      // An ephemeral runner deregisters itself after its one job.
      if (runner.ephemeral) this.runners.remove(runner, 'ephemeral-done');
    }
    this.emit({ type: 'job-completed', jobId, conclusion, runnerId: job.runnerId });
  }

  /** Completes in-progress jobs whose `durationMs` has elapsed; returns their ids. */
  completeDue(): number[] {
    const due = [...this.state.jobs.values()].filter(
      (j) =>
        j.status === 'in_progress' &&
        j.durationMs !== null &&
        this.clock.now() >= (j.startedAtMs ?? 0) + j.durationMs,
    );
    for (const job of due) this.complete(job.id, this.autoConclusion.get(job.id) ?? 'success');
    return due.map((j) => j.id);
  }

  /** GitHub cancels jobs still queued after 24 hours. */
  expireQueued(): number[] {
    const limit = this.clock.now() - QUEUE_LIMIT_MS;
    const stale = [...this.state.jobs.values()].filter(
      (j) => (j.status === 'queued' || j.status === 'waiting') && Date.parse(j.createdAt) <= limit,
    );
    for (const job of stale) this.complete(job.id, 'cancelled');
    return stale.map((j) => j.id);
  }

  get(jobId: number): JobRecord {
    const job = this.state.jobs.get(jobId);
    if (!job) throw new Error(`Unknown job ${jobId}`);
    return job;
  }

  private start(job: JobRecord, runner: RunnerRecord): void {
    const group =
      runner.scope.kind === 'org' ? this.state.group(runner.scope.org, runner.groupId) : undefined;
    runner.busy = true;
    runner.jobId = job.id;
    runner.assignedAtMs = this.clock.now();
    job.status = 'in_progress';
    job.startedAt = this.clock.iso();
    job.startedAtMs = this.clock.now();
    job.runnerId = runner.id;
    job.runnerName = runner.name;
    job.runnerGroupId = group?.id ?? 1;
    job.runnerGroupName = group?.name ?? 'Default';
    this.touchRun(job);
    this.emit({ type: 'job-assigned', jobId: job.id, runnerId: runner.id });
    this.send(job, 'in_progress');
  }

  private touchRun(job: JobRecord): void {
    const run = this.state.runs.get(job.runId);
    if (run) run.updatedAt = this.clock.iso();
  }

  /** Sends a `workflow_job` event to every App installed on the repository. */
  private send(job: JobRecord, action: WorkflowJobAction, override?: DeliveryOverride): void {
    const repo = this.state.repo(job.repo);
    const org = repo && this.state.org(repo.owner);
    if (!repo || !org) return;
    for (const installation of this.state.installationsCovering(repo)) {
      const payload = workflowJobPayload(action, job, repo, org, installation.id, this.state, this.baseUrl());
      this.webhooks.emit(
        {
          appId: installation.appId,
          installationId: installation.id,
          repositoryId: repo.id,
          event: 'workflow_job',
          action,
          jobId: job.id,
          payload,
        },
        override,
      );
    }
  }
}
