// Runs a trace through Hangar's real use cases on the in-memory twins, minute by minute, and
// watches the invariants while it goes. The world around the scaler is in github-world.ts.
import {
  applyJobEvent,
  poolStreamId,
  poolTargetSize,
  read,
  reconcile,
  recordWorkflowJob,
  routeJob,
  scaleDown,
  scaleUp,
  toIso,
  toMillis,
  topUpPools,
  type ScaleUpMessage,
} from '../../packages/core/src/index';
import {
  scalerFixture,
  workflowJobFact,
  type ScalerFixture,
} from '../../packages/core/src/testing/scaler-fixture';
import type { PolicyCheckConfig } from './config';
import { bootRunners, idleRunnerFor, machines, machinesByName } from './github-world';
import { observe, type Observations } from './observe';
import { results, type SimulationResult } from './results';
import type { SeriesRecorder } from './series';
import type { Trace, TraceJob } from './trace';

const CORRELATION = 'policy-check';

class Simulation {
  readonly fx: ScalerFixture;
  private readonly due: { body: ScaleUpMessage; dueMs: number }[] = [];
  private sentCursor = 0;
  private readonly selfRegistered = new Set<string>();
  readonly world: Observations = {
    queued: new Map(),
    running: new Map(),
    started: new Map(),
    completed: new Map(),
    violations: [],
    peak: new Map(),
    idleMinutes: new Map(),
    hourlyIdle: new Map(),
  };

  constructor(
    readonly config: PolicyCheckConfig,
    readonly trace: Trace,
  ) {
    this.fx = scalerFixture(config.settings, config.options);
    this.fx.clock.set(trace.start);
  }

  /** Hands on what the last use case produced: scale-up messages (with their delay) and job events. */
  private async collect(): Promise<void> {
    const now = toMillis(this.fx.clock.now());
    const sent = this.fx.scaleUpQueue.sent;
    for (; this.sentCursor < sent.length; this.sentCursor += 1) {
      const entry = sent[this.sentCursor]!;
      this.due.push({ body: entry.body, dueMs: now + entry.delaySeconds * 1000 });
    }
    for (let batch = this.fx.jobEventsQueue.take(); batch.length > 0; batch = this.fx.jobEventsQueue.take()) {
      for (const message of batch) await applyJobEvent(this.fx.deps, message);
    }
  }

  /** Serves the due scale-up messages, and those they send without delay. */
  private async serveScaleUps(): Promise<void> {
    for (let pass = 0; pass < 20; pass += 1) {
      const now = toMillis(this.fx.clock.now());
      const ready = this.due.filter((entry) => entry.dueMs <= now);
      if (ready.length === 0) return;
      for (const entry of ready) {
        this.due.splice(this.due.indexOf(entry), 1);
        const outcome = await scaleUp(this.fx.deps, entry.body, CORRELATION);
        // A retryable failure comes back after the queue's visibility timeout.
        if (outcome.kind === 'retry') this.due.push({ body: entry.body, dueMs: now + 60_000 });
        await this.collect();
      }
    }
  }

  private async deliver(
    action: 'queued' | 'in_progress' | 'completed',
    job: TraceJob,
    runnerName: string | null,
  ) {
    const fact = workflowJobFact(action, job.id, this.fx.clock.now(), {
      owner: job.owner,
      repo: job.repo,
      labels: job.labels,
      runnerName,
    });
    // What `GET /repos/{o}/{r}/actions/jobs/{id}` answers (pools with jobQueuedCheck ask it).
    this.fx.registry.jobStatuses.set(String(job.id), {
      status: action,
      conclusion: action === 'completed' ? 'success' : null,
    });
    await recordWorkflowJob(this.fx.deps, fact);
    await this.collect();
  }

  private async finishJobs(minute: number): Promise<void> {
    const byName = machinesByName(this.fx, this.config.settings);
    for (const [id, running] of [...this.world.running]) {
      if (running.endsAt > minute) continue;
      this.world.running.delete(id);
      this.world.completed.set(id, minute);
      const registration = this.fx.registry.byName(running.runnerName);
      const pool = this.config.settings.pools.find((p) => p.id === byName.get(running.runnerName)?.poolId);
      // GitHub removes a JIT runner after its one job; a reusable one is idle again.
      if (registration && (pool?.ephemeral ?? true))
        this.fx.registry.registrations.delete(registration.githubRunnerId);
      else this.fx.registry.setRunner(running.runnerName, { busy: false });
      await this.deliver('completed', running.job, running.runnerName);
    }
  }

  private async assignJobs(minute: number): Promise<void> {
    const byName = machinesByName(this.fx, this.config.settings);
    for (const [id, job] of [...this.world.queued]) {
      const registration = idleRunnerFor(this.fx, byName, job);
      if (!registration) continue;
      this.world.queued.delete(id);
      this.fx.registry.setRunner(registration.name, { busy: true });
      this.world.running.set(id, {
        job,
        runnerName: registration.name,
        endsAt: minute + job.durationMinutes,
      });
      this.world.started.set(id, { minute, pool: byName.get(registration.name)?.poolId ?? null });
      await this.deliver('in_progress', job, registration.name);
    }
  }

  private async schedules(minute: number): Promise<void> {
    const { simulation } = this.config;
    if (minute % simulation.topUpEveryMinutes === 0) {
      await topUpPools(this.fx.deps, CORRELATION);
      await this.collect();
    }
    if (minute % simulation.scaleDownEveryMinutes === 0) {
      await scaleDown(this.fx.deps, CORRELATION);
      await this.collect();
    }
    if (minute % simulation.reconcileEveryMinutes === 0) {
      await reconcile(this.fx.deps, CORRELATION);
      await this.collect();
    }
  }

  async minute(minute: number): Promise<void> {
    this.fx.clock.set(toIso(toMillis(this.trace.start) + minute * 60_000));
    await bootRunners({
      fx: this.fx,
      settings: this.config.settings,
      bootMinutes: this.config.simulation.runnerBootMinutes,
      selfRegistered: this.selfRegistered,
    });
    await this.finishJobs(minute);
    for (const job of this.trace.jobs.filter((candidate) => candidate.atMinute === minute)) {
      this.world.queued.set(job.id, job);
      await this.deliver('queued', job, null);
    }
    await this.serveScaleUps();
    await this.schedules(minute);
    await this.serveScaleUps();
    await this.assignJobs(minute);
    await observe(this.fx, this.config.settings, this.world, minute, (poolId) =>
      read(this.fx.deps, this.fx.deps.streams.pool, poolStreamId(poolId)).then(({ state }) => state.alive),
    );
  }

  /**
   * Nothing is left to happen: no routable job waiting or running, no machine alive, no
   * message pending, and no pool schedule asking for warm runners.
   */
  settled(routable: ReadonlySet<number>): boolean {
    const waiting = [...this.world.queued.keys()].some((id) => routable.has(id));
    const now = this.fx.clock.now();
    return (
      !waiting &&
      !this.config.settings.pools.some((pool) => poolTargetSize(pool, now) > 0) &&
      this.world.running.size === 0 &&
      this.due.length === 0 &&
      !machines(this.fx).some((machine) => machine.alive)
    );
  }
}

/** Simulates the trace; violations list every broken invariant with the minute it broke. */
export async function simulate(
  config: PolicyCheckConfig,
  trace: Trace,
  recorder?: SeriesRecorder,
): Promise<SimulationResult> {
  const sim = new Simulation(config, trace);
  const routes = new Map(trace.jobs.map((job) => [job.id, routeJob(job, config.settings)]));
  const routable = new Set([...routes].filter(([, route]) => route.kind === 'routed').map(([id]) => id));
  const lastArrival = Math.max(...trace.jobs.map((job) => job.atMinute));
  let simulated = 0;
  for (let minute = 0; minute <= lastArrival + config.simulation.drainMinutes; minute += 1) {
    await sim.minute(minute);
    recorder?.record(sim.fx, sim.world, minute);
    simulated = minute + 1;
    if (minute >= lastArrival && sim.settled(routable)) break;
  }
  return results({ config, trace, fx: sim.fx, world: sim.world, routes, simulated });
}
