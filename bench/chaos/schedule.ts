import type { RuntimeConfiguration } from '@hangar/runtime-lambda';
import { finalChecks, observe, quiescent } from './checks';
import { deliverInstanceEvents, deliverWebhooks, pumpQueue, runScheduled } from './drive';
import { FAULT_FAMILIES, type FaultFamily } from './faults';
import { Rng } from './rng';
import { chaosConfiguration } from './roots';
import { drawTopology, type Topology } from './topology';
import { START_MS, type Violation } from './trace';
import { ChaosWorld } from './world';

export interface ScheduleOptions {
  readonly seed: number;
  /** Fault families the schedule may switch on (each on with probability ½). */
  readonly allowed: ReadonlySet<FaultFamily>;
  /** Replaces the drawn fault set (for ablation: the same schedule with one family off). */
  readonly forceFaults?: ReadonlySet<FaultFamily>;
  /** Keep the full trace of every step (replays). */
  readonly fullTrace?: boolean;
}

export interface ScheduleResult {
  readonly seed: number;
  readonly topology: Topology;
  readonly faults: readonly FaultFamily[];
  readonly injected: Readonly<Partial<Record<FaultFamily, number>>>;
  readonly violations: readonly Violation[];
  readonly settled: boolean;
  readonly simulatedMinutes: number;
  readonly stats: ChaosWorld['stats'] & { readonly jobs: number; readonly machines: number };
  /** The whole trace, with `fullTrace`. */
  readonly trace?: readonly string[];
}

const CHAOS_STEPS = 40;
const CHAOS_STEP_SECONDS = 15;
const SETTLE_STEP_SECONDS = 30;
const SETTLE_STEPS = 240;

const SCHEDULES: readonly { readonly name: 'scaleDown' | 'pool' | 'reconciler'; readonly every: number }[] = [
  { name: 'scaleDown', every: 60_000 },
  { name: 'pool', every: 60_000 },
  { name: 'reconciler', every: 300_000 },
];

const configurations = new Map<string, Promise<RuntimeConfiguration>>();

/** One step of the world: time passes, GitHub and the machines move, everything due is delivered. */
async function step(world: ChaosWorld, seconds: number, nextRun: Map<string, number>): Promise<void> {
  world.clock.advanceSeconds(seconds);
  if (world.plan.on('capacity-outage')) {
    if (world.cloud.outage === 'none' && world.plan.strike('capacity-outage'))
      world.cloud.outage = world.plan.stream('capacity-outage').chance(0.7) ? 'spot' : 'all';
    else if (world.cloud.outage !== 'none' && world.plan.stream('capacity-outage').chance(0.3))
      world.cloud.outage = 'none';
  }
  world.github.tick();
  world.cloud.tick();
  // GitHub hands a queued job to a runner within seconds of it connecting.
  world.github.tick();
  const deliverAll = async () => {
    for (let round = 0; round < 4; round += 1) {
      let moved = await deliverWebhooks(world);
      moved += await deliverInstanceEvents(world);
      moved += await pumpQueue(world, world.jobEvents, 'jobEvents');
      moved += await pumpQueue(world, world.scaleUp, 'scaleUp');
      moved += await deliverInstanceEvents(world);
      if (moved === 0) return;
    }
  };
  await deliverAll();
  const now = world.nowMs();
  for (const schedule of SCHEDULES) {
    if ((nextRun.get(schedule.name) ?? 0) > now) continue;
    nextRun.set(schedule.name, now + schedule.every);
    await runScheduled(world, schedule.name);
  }
  await deliverAll();
}

/**
 * Runs one schedule: a chaos window (faults on, jobs arriving, invariants observed after every
 * step), then a settle phase with every fault off until nothing is left to happen, then the
 * final checks. The same seed always runs the same schedule.
 */
export async function runSchedule(options: ScheduleOptions): Promise<ScheduleResult> {
  const rng = new Rng(options.seed);
  const drawn = drawTopology(rng.fork('topology'), options.allowed, CHAOS_STEPS);
  const topology: Topology = options.forceFaults ? { ...drawn, faults: options.forceFaults } : drawn;
  const key = JSON.stringify(topology.pools);
  if (!configurations.has(key)) configurations.set(key, chaosConfiguration(topology.pools));
  const config = await (configurations.get(key) as Promise<RuntimeConfiguration>);
  const world = new ChaosWorld(topology, config, rng.fork('world'), options.fullTrace ? 200_000 : 600);
  const nextRun = new Map<string, number>();
  for (let index = 0; index < CHAOS_STEPS; index += 1) {
    for (const job of topology.jobs)
      if (job.atStep === index) world.github.queueJob(job.labels, job.durationMs);
    await step(world, CHAOS_STEP_SECONDS, nextRun);
    await observe(world);
  }
  world.plan.active = false;
  world.cloud.outage = 'none';
  let settled = false;
  for (let index = 0; index < SETTLE_STEPS && !settled; index += 1) {
    await step(world, SETTLE_STEP_SECONDS, nextRun);
    await observe(world);
    settled = await quiescent(world);
  }
  await finalChecks(world);
  return {
    seed: options.seed,
    topology,
    faults: FAULT_FAMILIES.filter((family) => topology.faults.has(family)),
    injected: world.plan.injected,
    violations: world.violations.found,
    settled,
    simulatedMinutes: Math.round((world.nowMs() - START_MS) / 60_000),
    stats: { ...world.stats, jobs: world.github.jobs.size, machines: world.cloud.machines.size },
    ...(options.fullTrace ? { trace: world.trace.tail(200_000) } : {}),
  };
}
