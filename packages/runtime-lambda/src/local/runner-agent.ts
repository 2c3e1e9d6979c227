import type { RunnerSecret } from '@hangar/core';
import type { Ec2EmulatorHandle, Ec2StateChange } from '@hangar/test-support/aws/ec2';
import type { EcsEmulatorHandle, EcsStateChange } from '@hangar/test-support/aws/ecs';
import type { FakeGitHub, SimEvent } from '@hangar/test-support/github';
import type { SimulatedClock } from './sim-clock';
import type { SsmWire } from './ssm-wire';

export interface RunnerAgentOptions {
  readonly fake: FakeGitHub;
  readonly ec2: Ec2EmulatorHandle;
  readonly ecs: EcsEmulatorHandle;
  /** The runner's own SSM access (its instance role), straight to the emulator. */
  readonly ssm: SsmWire;
  readonly clock: SimulatedClock;
  /** Prefix of the machine tags (`<prefix>:secret-path`). */
  readonly tagPrefix: string;
  /** Simulated time from "running" to the runner process starting (OS boot, agent download). */
  readonly bootDelayMs: number;
  /** How long the bootstrap waits for its secret before giving up, as the real script does. */
  readonly secretWaitMs: number;
  /** Unique ids of the runner roles the machines call AWS with (EC2 instance profile, Fargate task role). */
  readonly roleIds: { readonly ec2: string; readonly fargate: string };
}

type Phase = 'booting' | 'connected' | 'gave-up' | 'gone';

interface Machine {
  readonly key: string;
  readonly kind: 'ec2' | 'fargate';
  readonly secretPath: string | null;
  phase: Phase;
  readonly bootAtMs: number;
  readonly giveUpAtMs: number;
  githubRunnerId: number | null;
  ephemeral: boolean;
}

export interface RunnerAgentStats {
  machinesStarted: number;
  runnersConnected: number;
  secretsNotFound: number;
  /** Machines that gave up although their secret existed: it was bound to another machine. */
  secretsDenied: number;
  connectFailures: number;
  selfShutdowns: number;
}

/**
 * What runs on a runner's machine, simulated: when an instance or task reaches running, the
 * bootstrap reads its secret path (EC2 tag or task environment), polls SSM for the secret for
 * a bounded time, deletes it after reading, and starts the runner against the fake GitHub (JIT
 * config → `connectRunner`, registration token → `connectRunnerWithToken`). An ephemeral
 * runner's machine shuts itself down after its job; a machine that goes away takes its
 * runner offline (and fails the job it was running), as on GitHub.
 */
export class RunnerAgentSimulator {
  readonly stats: RunnerAgentStats = {
    machinesStarted: 0,
    runnersConnected: 0,
    secretsNotFound: 0,
    secretsDenied: 0,
    connectFailures: 0,
    selfShutdowns: 0,
  };
  private readonly machines = new Map<string, Machine>();
  private readonly byGithubRunner = new Map<number, string>();
  private readonly removedRunners: number[] = [];
  private readonly pendingDisconnects: number[] = [];

  constructor(private readonly options: RunnerAgentOptions) {}

  onEc2Change(change: Ec2StateChange): void {
    if (change.state === 'running') {
      const instance = this.options.ec2.instances().find((i) => i.instanceId === change.instanceId);
      this.start(change.instanceId, 'ec2', instance?.tags[`${this.options.tagPrefix}:secret-path`] ?? null);
    } else if (
      change.state === 'shutting-down' ||
      change.state === 'terminated' ||
      change.state === 'stopped'
    ) {
      this.lose(change.instanceId);
    }
  }

  onEcsChange(change: EcsStateChange): void {
    if (change.lastStatus === 'RUNNING') {
      const task = this.options.ecs.tasks().find((t) => t.taskArn === change.taskArn);
      const env = Object.values(task?.environment ?? {}).find((vars) => vars.HANGAR_SECRET_PATH);
      this.start(change.taskArn, 'fargate', env?.HANGAR_SECRET_PATH ?? null);
    } else if (change.lastStatus === 'DEPROVISIONING' || change.lastStatus === 'STOPPED') {
      this.lose(change.taskArn);
    }
  }

  /** Listener for the fake GitHub; only records, `step()` acts (the fake forbids re-entry). */
  onGitHubEvent(event: SimEvent): void {
    if (event.type === 'runner-removed') this.removedRunners.push(event.runnerId);
  }

  /** Runners currently connected from a live machine. */
  connectedMachines(): number {
    return [...this.machines.values()].filter((m) => m.phase === 'connected').length;
  }

  /**
   * Takes runners of vanished machines offline, shuts down ephemeral machines whose runner
   * finished, and boots what is due.
   */
  async step(): Promise<void> {
    for (const runnerId of this.pendingDisconnects.splice(0)) {
      if (this.options.fake.runner(runnerId)) this.options.fake.disconnectRunner(runnerId);
    }
    for (const runnerId of this.removedRunners.splice(0)) this.runnerRemoved(runnerId);
    const now = this.options.clock.nowMs();
    for (const machine of [...this.machines.values()]) {
      if (machine.phase === 'booting' && machine.bootAtMs <= now) await this.bootstrap(machine, now);
    }
  }

  private start(key: string, kind: Machine['kind'], secretPath: string | null): void {
    if (this.machines.has(key)) return;
    const now = this.options.clock.nowMs();
    this.stats.machinesStarted += 1;
    this.machines.set(key, {
      key,
      kind,
      secretPath,
      phase: 'booting',
      bootAtMs: now + this.options.bootDelayMs,
      giveUpAtMs: now + this.options.bootDelayMs + this.options.secretWaitMs,
      githubRunnerId: null,
      ephemeral: true,
    });
  }

  private async bootstrap(machine: Machine, now: number): Promise<void> {
    const access = machine.secretPath === null ? 'missing' : await this.access(machine, machine.secretPath);
    const raw = access === 'allowed' ? await this.options.ssm.get(machine.secretPath as string) : null;
    if (raw === null) {
      if (now >= machine.giveUpAtMs) {
        // As infra/bootstrap/start-runner.sh: any bootstrap failure powers the machine off.
        if (access === 'denied') this.stats.secretsDenied += 1;
        else this.stats.secretsNotFound += 1;
        this.powerOff(machine, 'gave-up');
      }
      return;
    }
    await this.options.ssm.delete(machine.secretPath as string);
    try {
      const secret = JSON.parse(raw) as RunnerSecret;
      const runner =
        secret.kind === 'jit'
          ? this.options.fake.connectRunner(secret.jitConfig)
          : this.options.fake.connectRunnerWithToken(secret.token, {
              name: secret.name,
              labels: [...secret.labels],
              ephemeral: false,
            });
      machine.phase = 'connected';
      machine.githubRunnerId = runner.id;
      machine.ephemeral = runner.ephemeral;
      this.byGithubRunner.set(runner.id, machine.key);
      this.stats.runnersConnected += 1;
    } catch {
      // A JIT config that was replaced or a registration already deleted: the runner cannot start.
      this.stats.connectFailures += 1;
      this.powerOff(machine, 'gave-up');
    }
  }

  /**
   * What IAM would answer this machine (the emulator does not evaluate IAM): the runner role
   * allows GetParameter/DeleteParameter only when the parameter's `hangar:principal` tag equals
   * the caller's aws:userid, `<role unique id>:<instance id>` for an instance profile and
   * `<role unique id>:<task id>` for an ECS task role. Computed here independently of the
   * adapter, so a wrongly bound secret fails the scenario as it would fail the boot on AWS.
   */
  private async access(machine: Machine, path: string): Promise<'allowed' | 'denied' | 'missing'> {
    const tags = await this.options.ssm.tags(path);
    if (tags === null) return 'missing';
    const session =
      machine.kind === 'ec2' ? machine.key : machine.key.slice(machine.key.lastIndexOf('/') + 1);
    const userId = `${this.options.roleIds[machine.kind]}:${session}`;
    return tags['hangar:principal'] === userId ? 'allowed' : 'denied';
  }

  private runnerRemoved(githubRunnerId: number): void {
    const key = this.byGithubRunner.get(githubRunnerId);
    this.byGithubRunner.delete(githubRunnerId);
    const machine = key === undefined ? undefined : this.machines.get(key);
    if (!machine || machine.phase !== 'connected') return;
    machine.githubRunnerId = null;
    // The runner process exits once its registration is gone; an ephemeral machine powers off.
    if (!machine.ephemeral) return;
    this.stats.selfShutdowns += 1;
    this.powerOff(machine, 'gone');
  }

  /** `shutdown -h now` (the instance terminates) or the task's only container exits. */
  private powerOff(machine: Machine, phase: Phase): void {
    machine.phase = phase;
    if (machine.kind === 'ec2') this.options.ec2.setState(machine.key, 'shutting-down');
    else
      this.options.ecs.setTaskStatus(machine.key, 'DEPROVISIONING', {
        stoppedReason: 'Essential container in task exited',
        stopCode: 'EssentialContainerExited',
      });
  }

  /** The machine went away: its runner (if still registered) goes offline mid-job. */
  private lose(key: string): void {
    const machine = this.machines.get(key);
    if (!machine) return;
    const runnerId = machine.githubRunnerId;
    machine.phase = 'gone';
    machine.githubRunnerId = null;
    if (runnerId === null) return;
    this.byGithubRunner.delete(runnerId);
    const runner = this.options.fake.runner(runnerId);
    if (runner && runner.status === 'online') this.pendingDisconnects.push(runnerId);
  }
}
