import type { Ec2EmulatorHandle, Ec2StateChange } from '@hangar/test-support/aws/ec2';
import type { EcsEmulatorHandle, EcsStateChange } from '@hangar/test-support/aws/ecs';
import type { FakeGitHub } from '@hangar/test-support/github';

interface Machine {
  readonly pool: string;
  readonly runnerId: string;
  alive: boolean;
}

/** What the observer saw of the fleet. */
export interface FleetSnapshot {
  /** Machines created (EC2 instances + Fargate tasks). */
  readonly launched: number;
  /** Machines created beyond the first for the same Hangar runner id (must be 0). */
  readonly duplicateLaunches: number;
  readonly alive: number;
  readonly peakAlive: number;
  readonly peakAliveByPool: Readonly<Record<string, number>>;
  readonly launchedByPool: Readonly<Record<string, number>>;
  /** Runner-minutes GitHub showed a runner online and not busy. */
  readonly idleRunnerMinutes: number;
}

/**
 * Watches the emulators' state changes (every single one, so a peak between two steps is not
 * missed) and samples GitHub's runner list for idle time. Machines are attributed to pools and
 * runners by the tags every Hangar machine carries.
 */
export class FleetObserver {
  private readonly machines = new Map<string, Machine>();
  private readonly peakByPool = new Map<string, number>();
  private peak = 0;
  private idleMinutes = 0;

  constructor(
    private readonly ec2: Ec2EmulatorHandle,
    private readonly ecs: EcsEmulatorHandle,
    private readonly tagPrefix: string,
  ) {}

  onEc2Change(change: Ec2StateChange): void {
    const alive = change.state === 'pending' || change.state === 'running';
    if (!this.machines.has(change.instanceId)) {
      const instance = this.ec2.instances().find((i) => i.instanceId === change.instanceId);
      this.track(change.instanceId, instance?.tags ?? {});
    }
    this.update(change.instanceId, alive);
  }

  onEcsChange(change: EcsStateChange): void {
    const alive = change.lastStatus !== 'DEPROVISIONING' && change.lastStatus !== 'STOPPED';
    if (!this.machines.has(change.taskArn)) {
      const task = this.ecs.tasks().find((t) => t.taskArn === change.taskArn);
      this.track(change.taskArn, task?.tags ?? {});
    }
    this.update(change.taskArn, alive);
  }

  /** Adds `minutes` for every runner GitHub reports online and idle right now. */
  sampleIdle(fake: FakeGitHub, minutes: number): void {
    const idle = fake.runners().filter((r) => r.status === 'online' && !r.busy).length;
    this.idleMinutes += idle * minutes;
  }

  snapshot(): FleetSnapshot {
    const perRunner = new Map<string, number>();
    const launchedByPool: Record<string, number> = {};
    for (const machine of this.machines.values()) {
      perRunner.set(machine.runnerId, (perRunner.get(machine.runnerId) ?? 0) + 1);
      launchedByPool[machine.pool] = (launchedByPool[machine.pool] ?? 0) + 1;
    }
    let duplicates = 0;
    for (const count of perRunner.values()) duplicates += count - 1;
    return {
      launched: this.machines.size,
      duplicateLaunches: duplicates,
      alive: [...this.machines.values()].filter((m) => m.alive).length,
      peakAlive: this.peak,
      peakAliveByPool: Object.fromEntries(this.peakByPool),
      launchedByPool,
      idleRunnerMinutes: Math.round(this.idleMinutes * 10) / 10,
    };
  }

  /** Machines alive now in one pool. */
  aliveIn(pool: string): number {
    return [...this.machines.values()].filter((m) => m.alive && m.pool === pool).length;
  }

  private track(key: string, tags: Readonly<Record<string, string>>): void {
    this.machines.set(key, {
      pool: tags[`${this.tagPrefix}:pool-id`] ?? 'untagged',
      runnerId: tags[`${this.tagPrefix}:runner-id`] ?? key,
      alive: false,
    });
  }

  private update(key: string, alive: boolean): void {
    const machine = this.machines.get(key);
    if (!machine) return;
    machine.alive = alive;
    const all = [...this.machines.values()].filter((m) => m.alive);
    this.peak = Math.max(this.peak, all.length);
    const inPool = all.filter((m) => m.pool === machine.pool).length;
    this.peakByPool.set(machine.pool, Math.max(this.peakByPool.get(machine.pool) ?? 0, inPool));
  }
}
