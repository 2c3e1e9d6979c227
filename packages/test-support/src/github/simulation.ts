import { Jobs, type QueueJobOptions } from './jobs';
import type { Runners } from './runners';
import type { FakeGitHubState } from './state';
import type { JobConclusion, JobRecord, RunnerRecord } from './types';

/**
 * When queued jobs meet idle runners. `auto`: after every simulation call that could enable an
 * assignment (queueJob, approve, connectRunner, completeJob, ...), synchronously and
 * deterministically (oldest job first, lowest runner id first). `manual`: only inside `tick()`,
 * so a harness can interleave scaler actions between GitHub's decisions.
 */
export type AssignmentMode = 'auto' | 'manual';

/** What one `tick()` did. */
export interface TickResult {
  readonly completed: number[];
  readonly cancelled: number[];
  readonly assigned: Array<{ jobId: number; runnerId: number }>;
}

/** The in-process simulation API on top of jobs and runners. */
export class Simulation {
  constructor(
    private readonly state: FakeGitHubState,
    private readonly jobs: Jobs,
    private readonly runners: Runners,
    private readonly mode: AssignmentMode,
  ) {}

  /** Creates a run (or adds to `runId`) with one queued job and sends `queued` (or `waiting`). */
  queueJob(options: QueueJobOptions): { jobId: number; runId: number } {
    const job = this.jobs.queue(options);
    this.autoAssign();
    return { jobId: job.id, runId: job.runId };
  }

  /**
   * Re-runs a completed job as GitHub does: a new job (new id) in the same run with the next
   * attempt number, queued again with a `queued` webhook. The REST route checks GitHub's refusals
   * first (rerun-rules.ts); this returns undefined for a job that has not completed.
   */
  rerunJob(jobId: number): { jobId: number; runId: number } | undefined {
    const job = this.jobs.get(jobId);
    if (job.status !== 'completed') return undefined;
    const attempts = [...this.state.jobs.values()].filter(
      (j) => j.runId === job.runId && j.name === job.name,
    );
    const runAttempt = Math.max(...attempts.map((j) => j.runAttempt)) + 1;
    return this.queueJob({
      repo: job.repo,
      labels: job.labels,
      name: job.name,
      runId: job.runId,
      runAttempt,
      ...(job.inReusableWorkflow ? { inReusableWorkflow: true } : {}),
    });
  }

  approve(jobId: number): void {
    this.jobs.approve(jobId);
    this.autoAssign();
  }

  /** Finishes a job (sends `completed`); its ephemeral runner is removed, a persistent one goes idle. */
  completeJob(jobId: number, conclusion: JobConclusion = 'success'): void {
    this.jobs.complete(jobId, conclusion);
    this.autoAssign();
  }

  /** Cancels a job that is not completed yet (conclusion `cancelled`). */
  cancelJob(jobId: number): void {
    if (this.jobs.get(jobId).status !== 'completed') this.jobs.complete(jobId, 'cancelled');
    this.autoAssign();
  }

  /** Cancels every unfinished job of a run; returns false for an unknown run. */
  cancelRun(runId: number): boolean {
    const run = this.state.runs.get(runId);
    if (!run) return false;
    run.cancelRequested = true;
    for (const job of [...this.state.jobs.values()]) {
      if (job.runId === runId && job.status !== 'completed') this.jobs.complete(job.id, 'cancelled');
    }
    this.autoAssign();
    return true;
  }

  /** Boots a runner from its JIT config: it goes online and idle (and may take a job). */
  connectRunner(encodedJitConfig: string): RunnerRecord {
    const runner = this.runners.connect(encodedJitConfig);
    this.autoAssign();
    return runner;
  }

  connectRunnerWithToken(
    token: string,
    options: {
      name: string;
      labels?: string[];
      ephemeral?: boolean;
      groupId?: number;
      noDefaultLabels?: boolean;
    },
  ): RunnerRecord {
    const runner = this.runners.connectWithToken(token, options);
    this.autoAssign();
    return runner;
  }

  /** Brings an offline persistent runner (not JIT) back online, e.g. after a reboot. */
  reconnectRunner(runnerId: number): RunnerRecord {
    const runner = this.runner(runnerId);
    if (runner.jit) throw new Error(`Runner ${runnerId} is a JIT runner; its config was already used`);
    this.runners.online(runner);
    this.autoAssign();
    return runner;
  }

  /**
   * The runner's machine goes away (terminated, spot interruption). GitHub marks the runner
   * offline and fails the job it was running (conclusion `failure`); the registration stays
   * until someone deletes it.
   */
  disconnectRunner(runnerId: number): void {
    const runner = this.runner(runnerId);
    const jobId = this.detach(runner);
    this.runners.offline(runner);
    if (jobId !== null) this.jobs.complete(jobId, 'failure');
    this.autoAssign();
  }

  /**
   * `DELETE .../runners/{id}`. Refused (422) only while GitHub *reports* the runner busy; within
   * the busy-flag lag the deletion succeeds and kills the job (it fails), as happened to users of
   * check-then-delete scale-down.
   */
  deleteRunner(runner: RunnerRecord): 'deleted' | 'busy' {
    if (this.runners.reportedBusy(runner)) return 'busy';
    const jobId = this.detach(runner);
    this.runners.remove(runner, 'deleted');
    if (jobId !== null) this.jobs.complete(jobId, 'failure');
    this.autoAssign();
    return 'deleted';
  }

  /**
   * Advances GitHub's own processes to the current simulation time: completes jobs whose
   * `durationMs` has elapsed, cancels jobs queued for 24 h, then assigns queued jobs.
   */
  tick(): TickResult {
    const completed = this.jobs.completeDue();
    const cancelled = this.jobs.expireQueued();
    const assigned = this.jobs.assignAll();
    return { completed, cancelled, assigned };
  }

  runner(runnerId: number): RunnerRecord {
    const runner = this.state.runners.get(runnerId);
    if (!runner) throw new Error(`Unknown runner ${runnerId}`);
    return runner;
  }

  job(jobId: number): JobRecord {
    return this.jobs.get(jobId);
  }

  private detach(runner: RunnerRecord): number | null {
    const jobId = runner.jobId;
    runner.busy = false;
    runner.jobId = null;
    return jobId;
  }

  private autoAssign(): void {
    if (this.mode === 'auto') this.jobs.assignAll();
  }
}
