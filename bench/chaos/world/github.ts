import type { FaultPlan } from '../faults';
import type { Rng } from '../rng';
import type { Trace, Violations } from '../trace';
import { runnerServes, workflowJobBody, type Delivery, type GhJob, type GhRunner } from './github-state';

/**
 * GitHub as the schedule sees it: jobs queued, assigned to matching idle runners and finished;
 * runner registrations (JIT and token) with the busy flag's reporting lag; `workflow_job`
 * deliveries with GitHub's failures (dropped, duplicated, late); re-runs and redeliveries.
 * `GitHubApi` (github-api.ts) is the REST API Hangar calls on it.
 */
export class GitHubWorld {
  readonly jobs = new Map<number, GhJob>();
  readonly runners = new Map<number, GhRunner>();
  readonly deliveries: Delivery[] = [];
  /** Registrations created per runner name, and by which invocations. */
  readonly registrationsIssued = new Map<string, string[]>();
  /** Set by the driver: which invocation is calling now (for registration accounting). */
  caller = 'unknown';
  onRunnerExit: (machineId: string) => void = () => undefined;
  /** Whether Hangar recorded the start of `jobId` on the stream of the machine's runner (set by the cloud). */
  startRecorded: (machineId: string | null, jobId: number) => boolean = () => true;
  private nextJob = 1000;
  /** The last runner id GitHub handed out. */
  nextRunner = 100;
  private nextDelivery = 1;

  constructor(
    readonly now: () => number,
    private readonly plan: FaultPlan,
    private readonly rng: Rng,
    private readonly trace: Trace,
    readonly violations: Violations,
  ) {}

  queueJob(labels: readonly string[], durationMs: number, previous?: GhJob): GhJob {
    this.nextJob += 1;
    const job: GhJob = {
      id: this.nextJob,
      logical: previous?.logical ?? this.nextJob,
      runAttempt: (previous?.runAttempt ?? 0) + 1,
      labels,
      durationMs,
      queuedAt: this.now(),
      status: 'queued',
      conclusion: null,
      runnerName: null,
      runnerId: null,
      startedAt: null,
      failure: null,
      rerunRefused: this.plan.strike('rerun-refused'),
    };
    this.jobs.set(job.id, job);
    this.trace.add(`github: job ${job.id} queued (logical ${job.logical}, attempt ${job.runAttempt})`);
    this.emit(job, 'queued');
    return job;
  }

  /** GitHub's own progress: finished jobs complete, queued jobs go to idle matching runners. */
  tick(): void {
    const now = this.now();
    for (const job of this.jobs.values())
      if (job.status === 'in_progress' && job.startedAt !== null && now >= job.startedAt + job.durationMs)
        this.complete(job, 'success', null);
    const queued = [...this.jobs.values()].filter((job) => job.status === 'queued');
    for (const job of queued) {
      const idle = [...this.runners.values()].filter(
        (r) => r.status === 'online' && !r.busy && r.machineId !== null && !(r.ephemeral && r.jobsRun > 0),
      );
      const runner = idle.find((r) => runnerServes(r, job));
      if (!runner) continue;
      runner.busy = true;
      runner.jobId = job.id;
      runner.busyVisibleAt = now + (this.plan.strike('busy-lag') ? this.rng.int(25, 60) * 1000 : 0);
      Object.assign(job, {
        status: 'in_progress',
        runnerName: runner.name,
        runnerId: runner.id,
        startedAt: now,
      });
      this.trace.add(`github: job ${job.id} assigned to ${runner.name}`);
      this.emit(job, 'in_progress');
    }
  }

  /** The job is over; its runner is free (a JIT runner leaves with its job). */
  complete(job: GhJob, conclusion: string, failure: GhJob['failure']): void {
    Object.assign(job, { status: 'completed', conclusion, failure });
    this.trace.add(`github: job ${job.id} completed ${conclusion}${failure ? ` (${failure})` : ''}`);
    this.emit(job, 'completed');
    const runner = job.runnerId === null ? undefined : this.runners.get(job.runnerId);
    if (!runner || runner.jobId !== job.id) return;
    runner.busy = false;
    runner.jobId = null;
    runner.jobsRun += 1;
    if (runner.ephemeral && failure === null) {
      // A JIT runner removes its registration after its one job and its machine powers off.
      this.runners.delete(runner.id);
      if (runner.machineId) this.onRunnerExit(runner.machineId);
    }
  }

  private emit(job: GhJob, action: Delivery['action']): void {
    const now = this.now();
    const guid = `g${(this.nextDelivery += 1)}`;
    const late = this.plan.strike('webhook-reorder')
      ? this.plan.stream('webhook-reorder').int(5, 150) * 1000
      : 0;
    const delivery: Delivery = {
      guid,
      jobId: job.id,
      action,
      body: workflowJobBody(job, action, now),
      createdAt: now,
      dueAt: now + late,
      status: 'pending',
      redelivered: false,
    };
    if (this.plan.strike('webhook-drop')) {
      delivery.status = 'failed';
      this.trace.add(`github: delivery ${guid} (${action} ${job.id}) dropped`);
    }
    this.deliveries.push(delivery);
    if (this.plan.strike('webhook-duplicate'))
      this.deliveries.push({
        ...delivery,
        status: 'pending',
        dueAt: delivery.dueAt + this.rng.int(0, 20) * 1000,
      });
  }

  /** Deliveries to make now, oldest first. */
  due(): Delivery[] {
    const now = this.now();
    return this.deliveries
      .filter((d) => d.status === 'pending' && d.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  /** A machine's runner process starts with its JIT config; false when GitHub no longer knows it. */
  connectJit(config: string, machineId: string): boolean {
    const [, id] = config.split(':');
    const runner = this.runners.get(Number(id));
    if (!runner || runner.machineId !== null) return false;
    Object.assign(runner, { status: 'online', machineId });
    return true;
  }

  /** A reusable runner registers itself (config.sh with the token) and connects. */
  registerWithToken(name: string, labels: readonly string[], machineId: string): void {
    for (const [id, r] of this.runners)
      if (r.name === name && r.status === 'offline') this.runners.delete(id);
    this.nextRunner += 1;
    this.runners.set(this.nextRunner, this.newRunner(this.nextRunner, name, labels, false, machineId));
  }

  /** The machine is gone: its runner goes offline, and a job it was running fails. */
  machineGone(machineId: string, cause: 'runner-lost' | 'spot-interruption'): void {
    for (const runner of this.runners.values()) {
      if (runner.machineId !== machineId) continue;
      runner.status = 'offline';
      runner.machineId = null;
      const job = runner.jobId === null ? undefined : this.jobs.get(runner.jobId);
      if (job?.status === 'in_progress') this.complete(job, 'failure', cause);
      runner.busy = false;
      runner.jobId = null;
    }
  }

  newRunner(
    id: number,
    name: string,
    labels: readonly string[],
    ephemeral: boolean,
    machineId: string | null,
  ): GhRunner {
    const now = this.now();
    return {
      id,
      name,
      labels,
      ephemeral,
      createdAt: now,
      status: machineId ? 'online' : 'offline',
      busy: false,
      busyVisibleAt: now,
      jobId: null,
      jobsRun: 0,
      machineId,
    };
  }
}
