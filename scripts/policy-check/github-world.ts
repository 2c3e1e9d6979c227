// The world around the scaler in a simulation: machines boot and their runners connect to
// GitHub, and GitHub hands the oldest queued job to any online, idle runner whose labels fit
// (it does not care which job a runner was requested for). Only the twins' state is touched:
// every decision stays with the real use cases.
import {
  runnerNameFor,
  toMillis,
  type InstanceId,
  type PoolConfig,
  type RunnerId,
  type ScalerSettings,
} from '../../packages/core/src/index';
import type { ScalerFixture } from '../../packages/core/src/testing/scaler-fixture';

/** A registration as the simulated GitHub keeps it. */
type Registration = ScalerFixture['registry']['registrations'] extends Map<number, infer R> ? R : never;

export interface Machine {
  readonly instanceId: InstanceId;
  readonly runnerId: RunnerId | null;
  readonly poolId: string | null;
  readonly alive: boolean;
  readonly launchedAt: string;
  readonly key: string;
}

/** Every machine both compute twins ever held (terminated ones too). */
export function machines(fx: ScalerFixture): Machine[] {
  return [...fx.ec2.machines.values(), ...fx.fargate.machines.values()].map((machine) => ({
    instanceId: machine.view.instanceId,
    runnerId: machine.view.runnerId,
    poolId: machine.view.poolId,
    alive: machine.view.state !== 'terminated',
    launchedAt: machine.view.launchedAt,
    key: machine.key,
  }));
}

/** Runner name → machine, for the machines of configured pools. */
export function machinesByName(fx: ScalerFixture, settings: ScalerSettings): Map<string, Machine> {
  const byName = new Map<string, Machine>();
  for (const machine of machines(fx)) {
    const pool = settings.pools.find((candidate) => candidate.id === machine.poolId);
    if (pool && machine.runnerId) byName.set(runnerNameFor(pool, machine.runnerId), machine);
  }
  return byName;
}

/** Where a pool's runners register: its organisation, or the one repository of a repo-level pool. */
const scopeOf = (pool: PoolConfig): string =>
  pool.level === 'repo' ? `${pool.owner}/${pool.repo ?? ''}` : pool.owner;

/**
 * Machines launched at least `bootMinutes` ago come online: a JIT runner's registration
 * (created by scale-up) turns online; a reusable runner registers itself with the token it
 * was given. Registrations of machines that are gone go offline.
 */
export async function bootRunners(input: {
  readonly fx: ScalerFixture;
  readonly settings: ScalerSettings;
  readonly bootMinutes: number;
  readonly selfRegistered: Set<string>;
}): Promise<void> {
  const { fx, settings } = input;
  const now = toMillis(fx.clock.now());
  const byName = machinesByName(fx, settings);
  for (const [id, registration] of fx.registry.registrations) {
    const machine = byName.get(registration.name);
    if (!machine?.alive && registration.status === 'online')
      fx.registry.registrations.set(id, { ...registration, status: 'offline' });
  }
  for (const pool of settings.pools) {
    for (const [name, machine] of byName) {
      if (machine.poolId !== pool.id || !machine.alive || !machine.runnerId) continue;
      if (now - toMillis(machine.launchedAt) < input.bootMinutes * 60_000) continue;
      const registration = fx.registry.byName(name);
      if (registration) {
        if (registration.status === 'offline') fx.registry.setRunner(name, { status: 'online' });
        continue;
      }
      // A reusable runner registers once, after scale-up stored its registration token.
      if (pool.ephemeral || input.selfRegistered.has(name) || !fx.secrets.values.has(machine.runnerId))
        continue;
      input.selfRegistered.add(name);
      const githubRunnerId = 1_000_000 + input.selfRegistered.size;
      const created: Registration = {
        githubRunnerId,
        name,
        status: 'online',
        busy: false,
        labels: [...pool.labels],
        scope: scopeOf(pool),
      };
      fx.registry.registrations.set(githubRunnerId, created);
    }
  }
}

/** Does a runner with these labels and scope take this job? (GitHub: every `runs-on` label.) */
export function runnerTakes(
  registration: Pick<Registration, 'labels' | 'scope'>,
  job: { readonly owner: string; readonly repo: string; readonly labels: readonly string[] },
): boolean {
  const scope = registration.scope.toLowerCase();
  if (scope !== job.owner.toLowerCase() && scope !== `${job.owner}/${job.repo}`.toLowerCase()) return false;
  const labels = new Set(['self-hosted', ...registration.labels.map((label) => label.toLowerCase())]);
  return job.labels.every((label) => labels.has(label.toLowerCase()));
}

/** An online, idle registration with a live machine that takes the job, if any. */
export function idleRunnerFor(
  fx: ScalerFixture,
  byName: ReadonlyMap<string, Machine>,
  job: { readonly owner: string; readonly repo: string; readonly labels: readonly string[] },
): Registration | undefined {
  for (const registration of fx.registry.registrations.values()) {
    if (registration.status !== 'online' || registration.busy) continue;
    if (!byName.get(registration.name)?.alive) continue;
    if (runnerTakes(registration, job)) return registration;
  }
  return undefined;
}
