import { startLocalControlPlane, type LocalControlPlane } from '@hangar/runtime-lambda/local/control-plane';
import { logicalJobs } from '@hangar/runtime-lambda/local/report';
import { runtimeHandlers } from '@hangar/runtime-lambda/local/runtime-handlers';
import { FaultPlan, FAULT_FAMILIES, type FaultFamily } from './faults';
import { diagnoseJob } from './real-diagnosis';
import { applyStepFaults, clearFaults } from './real-faults';
import { Rng } from './rng';
import { drawTopology } from './topology';

/** What one schedule on the real emulators broke, and how it went. */
export interface RealResult {
  readonly seed: number;
  readonly faults: readonly FaultFamily[];
  readonly violations: readonly string[];
  readonly jobs: number;
  readonly machines: number;
  readonly deadLetters: number;
  readonly simulatedMinutes: number;
  readonly wallSeconds: number;
}

const CHAOS_STEPS = 40;
const SETTLE_MINUTES = 60;

/** Machines alive now (pending or running EC2 instances, Fargate tasks not stopped), by runner and pool. */
function alive(plane: LocalControlPlane): { runner: string; pool: string }[] {
  const { ec2, ecs } = plane.infrastructure;
  const tags = [
    ...ec2
      .instances()
      .filter((i) => i.state === 'pending' || i.state === 'running')
      .map((i) => i.tags),
    ...ecs
      .tasks()
      .filter((t) => t.lastStatus !== 'STOPPED' && t.lastStatus !== 'DEPROVISIONING')
      .map((t) => t.tags),
  ];
  return tags.map((t) => ({ runner: t['hangar:runner-id'] ?? '?', pool: t['hangar:pool-id'] ?? '?' }));
}

/** Alive ≤ max per pool and one machine per runner, at one observation. */
function observe(plane: LocalControlPlane, max: ReadonlyMap<string, number>, found: Set<string>): void {
  const machines = alive(plane);
  for (const [pool, limit] of max) {
    const n = machines.filter((m) => m.pool === pool).length;
    if (n > limit) found.add(`alive-over-max-machines: pool ${pool} has ${n} machines alive, max ${limit}`);
  }
  const perRunner = new Map<string, number>();
  for (const m of machines) perRunner.set(m.runner, (perRunner.get(m.runner) ?? 0) + 1);
  for (const [runner, n] of perRunner)
    if (n > 1) found.add(`two-machines-one-runner: ${runner} has ${n} machines`);
}

/**
 * The same schedule as `runSchedule(seed)` draws (pools, jobs, fault families), run on the local
 * control plane: the eight handlers as Lambda builds them, DynamoDB Local, fauxqs, the EC2/ECS/
 * SSM emulators and the fake GitHub. Invariants are observed after every step; after the
 * chaos window every fault is cleared and the plane settles, then nothing may be left.
 */
async function runOnPlane(
  seed: number,
  allowed: ReadonlySet<FaultFamily>,
  dynamoDbEndpoint?: string,
): Promise<RealResult> {
  const started = Date.now();
  const rng = new Rng(seed);
  const topology = drawTopology(rng.fork('topology'), allowed, CHAOS_STEPS);
  const plan = new FaultPlan(topology.faults, rng.fork('world'));
  const plane = await startLocalControlPlane({
    pools: topology.pools,
    repos: ['acme/app'],
    handlers: runtimeHandlers,
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
    ...(topology.faults.has('busy-lag') ? { runnerBusyLagMs: 40_000 } : {}),
    environment: { HANGAR_JOB_RETRY_AFTER_MINUTES: '5' },
    stepSeconds: 15,
  });
  const max = new Map(topology.pools.map((p) => [p.id, p.maxRunners ?? Infinity]));
  const found = new Set<string>();
  try {
    if (plan.on('rerun-refused')) plane.fake.faults.add({ method: 'POST', path: /rerun/, status: 403 });
    const spot = () =>
      plane.infrastructure.ec2
        .instances()
        .filter((i) => i.lifecycle === 'spot' && i.state === 'running')
        .map((i) => i.instanceId);
    for (let step = 0; step < CHAOS_STEPS; step += 1) {
      for (const job of topology.jobs)
        if (job.atStep === step)
          plane.fake.queueJob({ repo: 'acme/app', labels: job.labels, durationMs: job.durationMs });
      applyStepFaults(plane, plan, spot);
      await plane.step();
      observe(plane, max, found);
    }
    plan.active = false;
    clearFaults(plane);
    const done = () => finished(plane) && alive(plane).length === 0 && plane.fake.runners().length === 0;
    for (let minute = 0; minute < SETTLE_MINUTES && !done(); minute += 0.5) {
      await plane.step(30);
      observe(plane, max, found);
    }
    return await verdict(plane, topology.pools, seed, topology.faults, found, started);
  } finally {
    await plane.close();
  }
}

/** Every logical job's last attempt completed. */
function finished(plane: LocalControlPlane): boolean {
  return [...logicalJobs(plane.fake.jobs()).values()].every(
    (attempts) => attempts.at(-1)?.status === 'completed',
  );
}

/** Some pool has every label the job asks for (the pools' default `subset` matching). */
function routable(
  labels: readonly string[],
  pools: readonly { readonly labels: readonly string[] }[],
): boolean {
  return pools.some((pool) => {
    const have = new Set(pool.labels.map((label) => label.toLowerCase()));
    return labels.every((label) => have.has(label.toLowerCase()));
  });
}

async function verdict(
  plane: LocalControlPlane,
  pools: readonly { readonly labels: readonly string[] }[],
  seed: number,
  faults: ReadonlySet<FaultFamily>,
  found: Set<string>,
  started: number,
): Promise<RealResult> {
  for (const attempts of logicalJobs(plane.fake.jobs()).values()) {
    const last = attempts.at(-1);
    if (last && !routable(last.labels, pools)) continue;
    if (last && (last.status !== 'completed' || last.conclusion !== 'success'))
      found.add(
        `job-not-completed: job ${last.id} (attempt ${last.runAttempt}) is ${last.status} ${last.conclusion ?? ''} on ${last.runnerName ?? 'no runner'}\n${await diagnoseJob(plane, last.id)}`,
      );
  }
  const left = alive(plane).length;
  if (left > 0 || plane.fake.runners().length > 0)
    found.add(`left-running: ${left} machines, ${plane.fake.runners().length} registrations`);
  const report = await plane.report();
  const deadLetters = Object.values(report.deadLetters).reduce((sum, n) => sum + n, 0);
  return {
    seed,
    faults: FAULT_FAMILIES.filter((f) => faults.has(f)),
    violations: [...found],
    jobs: plane.fake.jobs().length,
    machines: plane.infrastructure.ec2.instances().length + plane.infrastructure.ecs.tasks().length,
    deadLetters,
    simulatedMinutes: Math.round(report.simulatedMinutes),
    wallSeconds: (Date.now() - started) / 1000,
  };
}

/**
 * The schedule on the real emulators, with stdout muted while it runs: the handlers' Powertools
 * metrics are EMF lines on stdout, thousands per schedule.
 */
export async function runRealSchedule(
  seed: number,
  allowed: ReadonlySet<FaultFamily>,
  dynamoDbEndpoint?: string,
): Promise<RealResult> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await runOnPlane(seed, allowed, dynamoDbEndpoint);
  } finally {
    process.stdout.write = write;
  }
}
