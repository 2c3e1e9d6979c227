import {
  InstanceId,
  toIso,
  type ComputeInstanceView,
  type ComputeKind,
  type ComputeProvider,
  type DescribedMachine,
  type LaunchRequest,
  type LaunchedMachine,
  type LaunchResult,
  PoolId,
  RunnerId,
} from '@hangar/core';
import type { InMemorySecretStore } from '@hangar/core/testing';
import type { FaultPlan } from '../faults';
import type { Rng } from '../rng';
import type { Trace, Violations } from '../trace';
import type { GitHubWorld } from './github';
import { spotWarningEvent, terminatedEvent, type InstanceEventInput, type SimMachine } from './machine';

export type { SimMachine } from './machine';

/** The bootstrap script waits this long for its secret, then powers the machine off. */
const SECRET_WAIT_MS = 300_000;

/**
 * EC2 and Fargate as the schedule sees them: idempotent launches (the same key finds the same
 * machine, as ClientToken does), capacity outages, machines that boot, read their secret and
 * start their runner (or power off after five minutes without one), spot reclaims with the
 * two-minute warning, and the EventBridge events all of it produces.
 */
export class CloudWorld {
  readonly machines = new Map<string, SimMachine>();
  readonly events: InstanceEventInput[] = [];
  private readonly byKey = new Map<string, string>();
  private next = 0;
  /** Capacity right now: spot only, or nothing at all. */
  outage: 'none' | 'spot' | 'all' = 'none';

  constructor(
    private readonly now: () => number,
    private readonly plan: FaultPlan,
    private readonly github: GitHubWorld,
    private readonly secrets: InMemorySecretStore,
    private readonly trace: Trace,
    private readonly violations: Violations,
    private readonly maxByPool: ReadonlyMap<string, number>,
    private readonly rng: Rng,
    /** Whether the runner's stream recorded its registration (an observer's look at the store). */
    private readonly registrationRecorded: (runnerId: string) => boolean,
    /** Whether the runner's stream recorded the start of that job (RunnerJobStarted). */
    private readonly jobStartRecorded: (runnerId: string, jobId: number) => boolean,
  ) {
    github.onRunnerExit = (machineId) => this.stop(machineId, 'runner exited');
    github.startRecorded = (machineId, jobId) => {
      const machine = this.machines.get(machineId ?? '');
      return machine !== undefined && jobStartRecorded(machine.runnerId, jobId);
    };
  }

  provider(kind: ComputeKind): ComputeProvider {
    return {
      kind,
      launch: async (request) => this.launch(kind, request),
      findByLaunchKey: async (_poolId, key) => this.findByLaunchKey(key),
      findByInstanceId: async (instanceId) => this.findByInstanceId(kind, instanceId),
      terminate: async (instanceId) => this.terminate(instanceId),
      list: async () => this.list(kind),
    };
  }

  alive(filter: (machine: SimMachine) => boolean = () => true): SimMachine[] {
    return [...this.machines.values()].filter(
      (m) => (m.state === 'pending' || m.state === 'running') && filter(m),
    );
  }

  /** The machine a key started, while the cloud still lists it (terminated ones drop out). */
  private findByLaunchKey(key: string): LaunchedMachine | null {
    const machine = this.machines.get(this.byKey.get(key) ?? '');
    if (!machine || machine.state === 'terminated') return null;
    return {
      instanceId: InstanceId(machine.id),
      instanceType: 'm7i.large',
      capacityType: machine.spot ? 'spot' : 'on-demand',
      state: machine.state,
    };
  }

  /**
   * A machine described by its id with its tags. EC2 keeps describing a terminated instance for
   * about an hour (longer than a schedule), with the reason of its last state change.
   */
  private findByInstanceId(kind: ComputeKind, instanceId: string): DescribedMachine | null {
    const machine = this.machines.get(instanceId);
    if (!machine || machine.kind !== kind) return null;
    const { runnerId, poolId, key: launchKey } = machine;
    return {
      instanceId: InstanceId(machine.id),
      instanceType: 'm7i.large',
      capacityType: machine.spot ? 'spot' : 'on-demand',
      state: machine.state,
      runnerId: RunnerId(runnerId),
      poolId: PoolId(poolId),
      launchKey,
      spotReclaimed: machine.reclaimed,
    };
  }

  private launch(kind: ComputeKind, request: LaunchRequest): LaunchResult {
    const existing = this.byKey.get(request.idempotencyKey);
    const spot = request.capacityType === 'spot';
    if (existing)
      return {
        outcome: 'launched',
        instanceId: InstanceId(existing),
        instanceType: 'm7i.large',
        capacityType: request.capacityType,
      };
    if (this.outage === 'all' || (this.outage === 'spot' && spot))
      return {
        outcome: 'failed',
        reason: 'insufficient-capacity',
        retryable: true,
        errorCodes: ['InsufficientInstanceCapacity'],
        detail: 'There is no capacity in the requested zones',
      };
    this.next += 1;
    const runningAt = this.now() + this.rng.int(15, 90) * 1000;
    const id =
      kind === 'ec2'
        ? `i-${String(this.next).padStart(10, '0')}`
        : `arn:aws:ecs:us-east-1:000000000000:task/hangar-runners/t${this.next}`;
    this.machines.set(id, {
      id,
      kind,
      runnerId: request.runnerId,
      poolId: request.poolId,
      key: request.idempotencyKey,
      secretPath: request.secretPath,
      spot: kind === 'ec2' && spot,
      launchedAt: this.now(),
      state: 'pending',
      runnerStage: 'booting',
      interrupted: false,
      reclaimed: false,
      stopAt: null,
      runningAt,
      runnerAt: runningAt + this.rng.int(15, 60) * 1000,
    });
    this.byKey.set(request.idempotencyKey, id);
    this.trace.add(`cloud: launched ${id} for ${request.runnerId} (key ${request.idempotencyKey})`);
    this.checkAlive(request.poolId, request.runnerId);
    return {
      outcome: 'launched',
      instanceId: InstanceId(id),
      instanceType: 'm7i.large',
      capacityType: request.capacityType,
    };
  }

  /** Alive ≤ max per pool and one machine per runner, checked at every launch. */
  checkAlive(poolId: string, runnerId: string): void {
    const max = this.maxByPool.get(poolId) ?? Infinity;
    const inPool = this.alive((m) => m.poolId === poolId).length;
    if (inPool > max)
      this.violations.record(
        'alive-over-max-machines',
        `pool ${poolId}: ${inPool} machines alive, max ${max}`,
      );
    const forRunner = this.alive((m) => m.runnerId === runnerId);
    if (forRunner.length > 1)
      this.violations.record(
        'two-machines-one-runner',
        `runner ${runnerId} has ${forRunner.length} machines: ${forRunner.map((m) => `${m.id} (${m.key})`).join(', ')}`,
      );
  }

  private terminate(instanceId: string): void {
    const machine = this.machines.get(instanceId);
    if (!machine || machine.state === 'terminated' || machine.state === 'stopping') return;
    const busy = [...this.github.runners.values()].find(
      (r) => r.machineId === instanceId && r.jobId !== null,
    );
    if (busy && !machine.interrupted)
      this.violations.record(
        'busy-runner-terminated',
        `${instanceId} (runner ${machine.runnerId}, ${busy.ephemeral ? 'ephemeral' : 'reusable'}, ${busy.jobsRun} jobs run before) terminated while running job ${busy.jobId}`,
        {
          runner: busy.ephemeral ? 'ephemeral' : 'reusable',
          jobsBefore: String(busy.jobsRun),
          path: 'terminate',
          registrationRecorded: this.registrationRecorded(machine.runnerId) ? 'yes' : 'no',
          startRecorded: this.jobStartRecorded(machine.runnerId, busy.jobId ?? -1) ? 'yes' : 'no',
        },
      );
    this.stop(instanceId, 'terminated by Hangar');
  }

  /** The machine shuts down now; it is gone (event sent) at the next tick. */
  stop(machineId: string, why: string): void {
    const machine = this.machines.get(machineId);
    if (!machine || machine.state === 'terminated' || machine.state === 'stopping') return;
    machine.state = 'stopping';
    machine.stopAt = this.now();
    this.trace.add(`cloud: ${machineId} stopping (${why})`);
    this.github.machineGone(machineId, machine.interrupted ? 'spot-interruption' : 'runner-lost');
  }

  private list(kind: ComputeKind): ComputeInstanceView[] {
    return [...this.machines.values()]
      .filter((m) => m.kind === kind && m.state !== 'terminated')
      .map((m) => ({
        instanceId: InstanceId(m.id),
        runnerId: m.runnerId as ComputeInstanceView['runnerId'],
        poolId: m.poolId as ComputeInstanceView['poolId'],
        state: m.state,
        launchedAt: toIso(m.launchedAt),
      }));
  }

  /** Machines move on: boot, start their runner, get reclaimed, finish shutting down. */
  tick(): void {
    const now = this.now();
    for (const machine of this.machines.values()) {
      if (machine.state === 'stopping' && machine.stopAt !== null && now > machine.stopAt) {
        machine.state = 'terminated';
        this.events.push(terminatedEvent(machine, this.now(), this.events.length));
        continue;
      }
      if (machine.state === 'pending' && now >= machine.runningAt) machine.state = 'running';
      if (machine.state !== 'running') continue;
      if (machine.interrupted && machine.stopAt !== null && now >= machine.stopAt) {
        machine.reclaimed = true;
        this.stop(machine.id, 'spot reclaimed');
        continue;
      }
      if (machine.runnerStage === 'booting' && now >= machine.runnerAt) this.startRunner(machine);
      if (machine.spot && !machine.interrupted && this.plan.strike('spot-interruption'))
        this.interrupt(machine);
    }
  }

  /**
   * The boot script reads the secret at the path it was launched with; IAM lets it read only a
   * secret bound to this machine (a secret re-bound to another machine stays unreadable).
   */
  private startRunner(machine: SimMachine): void {
    const runnerId = machine.runnerId as RunnerId;
    const ref = this.secrets.refOf(runnerId);
    const stored =
      ref && this.secrets.pathFor(ref) === machine.secretPath ? this.secrets.values.get(runnerId) : undefined;
    if (!stored || stored.reader.instanceId !== machine.id) {
      if (this.now() >= machine.runnerAt + SECRET_WAIT_MS) {
        machine.runnerStage = 'no-secret';
        this.stop(machine.id, 'no secret after 5 minutes: powered off');
      }
      return;
    }
    this.secrets.values.delete(runnerId);
    const secret = JSON.parse(stored.value) as {
      kind: string;
      jitConfig?: string;
      name?: string;
      labels?: string[];
    };
    if (secret.kind === 'jit') {
      const ok = this.github.connectJit(secret.jitConfig ?? '', machine.id);
      machine.runnerStage = ok ? 'connected' : 'dead-config';
      this.trace.add(
        `runner ${machine.runnerId} on ${machine.id}: ${ok ? 'connected' : 'JIT config names no registration'}`,
      );
      return;
    }
    this.github.registerWithToken(secret.name ?? machine.runnerId, secret.labels ?? [], machine.id);
    machine.runnerStage = 'connected';
    this.trace.add(`runner ${machine.runnerId} on ${machine.id}: registered and connected`);
  }

  private interrupt(machine: SimMachine): void {
    machine.interrupted = true;
    machine.stopAt = this.now() + 120_000;
    this.trace.add(`cloud: spot interruption warning for ${machine.id} (runner ${machine.runnerId})`);
    this.events.push(spotWarningEvent(machine, this.now(), this.events.length));
  }
}
