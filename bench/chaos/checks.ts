import { jobStreamId, poolStreamId, read, routeJob, type JobInfo } from '@hangar/core';
import type { ChaosWorld } from './world';
import type { GhJob } from './world/github-state';

/** A pool stream's slots in use, read straight from the store (no faults, no lag). */
async function poolAlive(world: ChaosWorld, poolId: string): Promise<number> {
  const { state } = await read(
    { eventStore: world.store, snapshots: world.store },
    world.streams.pool,
    poolStreamId(poolId),
  );
  return state.alive;
}

/**
 * The invariants checked at every observation: alive ≤ max per pool by machines and by the
 * pool stream, one machine per runner (also checked at every launch), and no runner name
 * registered twice by two invocations that met no fault (a race, not a retry).
 */
export async function observe(world: ChaosWorld): Promise<void> {
  for (const [poolId, max] of world.maxByPool) {
    const machines = world.cloud.alive((m) => m.poolId === poolId);
    if (machines.length > max)
      world.violations.record(
        'alive-over-max-machines',
        `pool ${poolId}: ${machines.length} machines alive, max ${max}`,
      );
    const slots = await poolAlive(world, poolId);
    if (slots > max)
      world.violations.record(
        'alive-over-max-pool-stream',
        `pool ${poolId}: stream holds ${slots} slots, max ${max}`,
      );
  }
  const perRunner = new Map<string, number>();
  for (const machine of world.cloud.alive())
    perRunner.set(machine.runnerId, (perRunner.get(machine.runnerId) ?? 0) + 1);
  for (const [runnerId, count] of perRunner)
    if (count > 1)
      world.violations.record('two-machines-one-runner', `runner ${runnerId} has ${count} machines alive`);
  for (const [name, issuers] of world.github.registrationsIssued) {
    const healthy = issuers.filter((id) => world.healthy.has(id));
    if (healthy.length > 1)
      world.violations.record(
        'duplicate-registration',
        `${name} registered ${healthy.length} times by invocations that met no fault (${healthy.join(', ')})`,
      );
  }
}

/** Why a logical job did not end as Hangar promises, or null when it did. */
function jobProblem(
  job: GhJob,
  events: readonly { type: string; data: unknown }[],
  maxRequests: number,
): string | null {
  if (job.status === 'completed' && job.conclusion === 'success') return null;
  if (
    events.some(
      (e) => e.type === 'ScaleUpRejected' && (e.data as { reason?: string }).reason === 'launch-failed',
    )
  )
    return null;
  const requests = events.filter((e) => e.type === 'RunnerRequestedForJob').length;
  const interrupted = events.some((e) => e.type === 'JobInterrupted');
  if (job.status === 'completed' && job.failure === 'spot-interruption') {
    if (job.rerunRefused) return null;
    return interrupted ? 'rerun-missing' : 'interruption-not-recorded';
  }
  if (job.status === 'completed') return job.failure === null ? 'failed' : 'runner-killed';
  if (job.status === 'in_progress') return 'still-running';
  if (requests === 0) return 'never-requested';
  return requests >= maxRequests ? 'requests-exhausted' : 'stuck-queued';
}

/** Every logical job's last attempt that did not end as promised: `cause: detail`. */
async function jobVerdicts(
  world: ChaosWorld,
): Promise<{ readonly cause: string; readonly detail: string }[]> {
  const last = new Map<number, GhJob>();
  for (const job of world.github.jobs.values()) {
    const seen = last.get(job.logical);
    if (!seen || job.runAttempt > seen.runAttempt) last.set(job.logical, job);
  }
  const problems: { cause: string; detail: string }[] = [];
  for (const job of last.values()) {
    if (job.status === 'completed' && job.conclusion === 'success') continue;
    const info: JobInfo = {
      jobId: String(job.id) as JobInfo['jobId'],
      runId: '1',
      owner: 'acme',
      repo: 'app',
      labels: job.labels,
      installationId: 7,
      name: 'chaos',
    };
    if (routeJob(info, world.config.settings).kind === 'unroutable') continue;
    const events = (await world.store.readStream(jobStreamId(String(job.id)))).events;
    const cause = jobProblem(job, events, world.config.settings.maxRunnerRequestsPerJob);
    if (cause === null) continue;
    const requests = events.filter((e) => e.type === 'RunnerRequestedForJob').length;
    problems.push({
      cause,
      detail: `job ${job.id} (logical ${job.logical}, attempt ${job.runAttempt}) is ${job.status}${job.conclusion ? ` ${job.conclusion}` : ''}${job.failure ? ` (${job.failure})` : ''}: ${cause}, ${requests} runner requests`,
    });
  }
  return problems;
}

/** What is still running or held when the world should be empty. */
async function leftovers(world: ChaosWorld): Promise<string[]> {
  const left: string[] = [];
  const machines = [...world.cloud.machines.values()].filter((m) => m.state !== 'terminated');
  if (machines.length > 0)
    left.push(
      `${machines.length} machines (${machines.map((m) => `${m.id}:${m.state}:${m.runnerId}`).join(', ')})`,
    );
  if (world.github.runners.size > 0)
    left.push(
      `${world.github.runners.size} registrations (${[...world.github.runners.values()].map((r) => `${r.name}:${r.status}`).join(', ')})`,
    );
  for (const poolId of world.maxByPool.keys()) {
    const slots = await poolAlive(world, poolId);
    if (slots > 0) left.push(`pool ${poolId} holds ${slots} slots`);
  }
  if (world.secrets.values.size > 0) left.push(`${world.secrets.values.size} runner secrets`);
  return left;
}

/**
 * Runners still alive whose stream says busy with a job GitHub finished long ago (a late
 * in_progress recorded after the job's completed): `runnerId:jobId`, comma-separated.
 */
function stuckBusy(world: ChaosWorld): string {
  const stuck: string[] = [];
  for (const machine of world.cloud.alive()) {
    let busyWith: string | null = null;
    for (const event of world.store.eventsOf(`runner-${machine.runnerId}`)) {
      if (event.type === 'RunnerJobStarted') busyWith = String((event.data as { jobId: unknown }).jobId);
      if (event.type === 'RunnerJobFinished') busyWith = null;
    }
    const job = busyWith === null ? undefined : world.github.jobs.get(Number(busyWith));
    if (job?.status === 'completed') stuck.push(`${machine.runnerId}:${busyWith}`);
  }
  return stuck.join(',');
}

/** Whether nothing is left to happen: the settle phase may stop. */
export async function quiescent(world: ChaosWorld): Promise<boolean> {
  const pending = world.github.deliveries.some((d) => d.status === 'pending');
  if (
    pending ||
    world.scaleUp.pending() > 0 ||
    world.jobEvents.pending() > 0 ||
    world.cloud.events.length > 0
  )
    return false;
  return (await leftovers(world)).length === 0 && (await jobVerdicts(world)).length === 0;
}

/** After settling: every routable job done (or given up with a reason), nothing left, DLQs explained. */
export async function finalChecks(world: ChaosWorld): Promise<void> {
  const jobs = await jobVerdicts(world);
  if (jobs.length > 0)
    world.violations.record('job-not-completed', jobs.map((j) => j.detail).join('; '), {
      causes: [...new Set(jobs.map((j) => j.cause))].join(','),
    });
  const left = await leftovers(world);
  if (left.length > 0)
    world.violations.record('left-running', left.join('; '), { stuckBusy: stuckBusy(world) });
  for (const queue of [world.scaleUp, world.jobEvents]) {
    for (const message of queue.deadLetters) {
      const unexplained = message.failures.filter((why) => why.startsWith('no injected fault'));
      if (unexplained.length > 0)
        world.violations.record(
          'dead-letter-unexplained',
          `${queue.name} ${message.body}: ${unexplained.join('; ')}`,
        );
    }
  }
}
