import type { ComputeKind } from '../config/pool-config';
import type {
  ComputeProvider,
  DescribedMachine,
  LaunchedMachine,
  LaunchRequest,
  LaunchResult,
} from '../ports/compute-provider';
import type { Clock } from '../ports/runtime';
import type { ComputeInstanceView } from '../scaling/views';
import { InstanceId, type IsoTime, type PoolId, type RunnerId } from '../shared/brand';
import { DependencyError } from '../shared/errors';

interface TwinMachine {
  view: ComputeInstanceView;
  key: string;
  capacityType: LaunchRequest['capacityType'];
  secretPath: string;
  /** The cloud reclaimed it (spot): set by `reclaim`. */
  spotReclaimed?: boolean;
}

/**
 * A compute target with idempotent launches. `failNext` queues classified failures,
 * `acceptThenThrottle` loses an accepted launch's answer; the machines' lifecycle is driven by
 * the test (`setState`, `terminate`).
 */
export class InMemoryComputeProvider implements ComputeProvider {
  readonly machines = new Map<string, TwinMachine>();
  readonly launches: LaunchRequest[] = [];
  /** The next N `findByLaunchKey` calls miss every machine (a listing that lags behind). */
  lookupsMissing = 0;
  /** The next N lookups (`findByLaunchKey`, `findByInstanceId`) throw a retryable DependencyError (throttled). */
  lookupFailures = 0;
  private readonly byKey = new Map<string, string>();
  private readonly failures: Extract<LaunchResult, { outcome: 'failed' }>[] = [];
  /** When false, launches find no capacity (a definite, retryable failure). */
  capacityAvailable = true;
  private answersLost = 0;
  private throttled = 0;
  private n = 0;
  constructor(
    readonly kind: ComputeKind,
    private readonly clock: Clock,
    private readonly knownPools?: ReadonlySet<string>,
  ) {}

  failNext(...failures: Extract<LaunchResult, { outcome: 'failed' }>[]): void {
    this.failures.push(...failures);
  }

  /** "Launch accepted, answer lost, then throttled": the next launch starts its machine but
   * answers `unknown`, and the `throttled` launches after it answer `unknown` (throttled). */
  acceptThenThrottle(throttled: number): void {
    this.answersLost += 1;
    this.throttled += throttled;
  }

  private throttledLookup(operation: string): void {
    if (this.lookupFailures === 0) return;
    this.lookupFailures -= 1;
    throw new DependencyError('compute', operation, 'RequestLimitExceeded (retry later)', true);
  }

  async findByLaunchKey(_poolId: PoolId, idempotencyKey: string): Promise<LaunchedMachine | null> {
    this.throttledLookup('findByLaunchKey');
    if (this.lookupsMissing > 0) {
      this.lookupsMissing -= 1;
      return null;
    }
    const machine = this.machines.get(this.byKey.get(idempotencyKey) ?? '');
    if (!machine) return null;
    const { instanceId, state } = machine.view;
    return { instanceId, instanceType: 'm7i.large', capacityType: machine.capacityType, state };
  }

  async findByInstanceId(instanceId: InstanceId): Promise<DescribedMachine | null> {
    this.throttledLookup('findByInstanceId');
    const machine = this.machines.get(instanceId);
    if (!machine?.view.runnerId || !machine.view.poolId) return null;
    const { runnerId, poolId, state } = machine.view;
    const { capacityType, key: launchKey } = machine;
    const spotReclaimed = machine.spotReclaimed === true;
    return {
      instanceId,
      instanceType: 'm7i.large',
      capacityType,
      state,
      runnerId,
      poolId,
      launchKey,
      spotReclaimed,
    };
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    this.launches.push(request);
    if (this.knownPools && !this.knownPools.has(request.poolId)) {
      return {
        outcome: 'failed',
        reason: 'invalid-configuration',
        retryable: false,
        errorCodes: [],
        detail: `unknown pool ${request.poolId}`,
      };
    }
    // Throttling refuses a call before the service reads it, whatever its key.
    if (this.answersLost === 0 && this.throttled > 0) {
      this.throttled -= 1;
      return {
        outcome: 'unknown',
        reason: 'throttled',
        errorCodes: ['RequestLimitExceeded'],
        detail: 'throttled',
      };
    }
    const existing = this.byKey.get(request.idempotencyKey);
    if (existing) {
      const machine = this.machines.get(existing);
      if (machine)
        return {
          outcome: 'launched',
          instanceId: machine.view.instanceId,
          instanceType: 'm7i.large',
          capacityType: machine.capacityType,
        };
    }
    const failure = this.failures.shift();
    if (failure) return failure;
    if (!this.capacityAvailable) {
      return {
        outcome: 'failed',
        reason: 'insufficient-capacity',
        retryable: true,
        errorCodes: ['InsufficientInstanceCapacity'],
        detail: 'no capacity',
      };
    }
    this.n += 1;
    const instanceId = InstanceId(`i-${this.kind}${String(this.n).padStart(8, '0')}`);
    this.machines.set(instanceId, {
      view: {
        instanceId,
        runnerId: request.runnerId,
        poolId: request.poolId,
        state: 'running',
        launchedAt: this.clock.now(),
      },
      key: request.idempotencyKey,
      capacityType: request.capacityType,
      secretPath: request.secretPath,
    });
    this.byKey.set(request.idempotencyKey, instanceId);
    if (this.answersLost > 0) {
      this.answersLost -= 1;
      return {
        outcome: 'unknown',
        reason: 'dependency-unavailable',
        errorCodes: ['InternalError'],
        detail: 'answer lost',
      };
    }
    return { outcome: 'launched', instanceId, instanceType: 'm7i.large', capacityType: request.capacityType };
  }

  async terminate(instanceId: InstanceId): Promise<void> {
    const machine = this.machines.get(instanceId);
    if (machine) machine.view = { ...machine.view, state: 'terminated' };
  }

  /** The cloud takes a spot machine back (its warning may or may not have been delivered). */
  reclaim(instanceId: string): void {
    const machine = this.machines.get(instanceId);
    if (!machine || machine.capacityType === 'on-demand')
      throw new Error(`${instanceId} is not a spot machine`);
    machine.view = { ...machine.view, state: 'terminated' };
    machine.spotReclaimed = true;
  }

  async list(): Promise<readonly ComputeInstanceView[]> {
    return [...this.machines.values()].filter((m) => m.view.state !== 'terminated').map((m) => m.view);
  }

  /** A machine we did not launch through Hangar's flow (a leak), tagged as ours. */
  addLeak(runnerId: RunnerId | null, poolId: PoolId | null, launchedAt: IsoTime): InstanceId {
    this.n += 1;
    const instanceId = InstanceId(`i-leak${String(this.n).padStart(8, '0')}`);
    this.machines.set(instanceId, {
      view: { instanceId, runnerId, poolId, state: 'running', launchedAt },
      key: `leak-${this.n}`,
      capacityType: 'spot',
      secretPath: '',
    });
    return instanceId;
  }

  /** Is a machine of this runner still alive? */
  aliveFor(runnerId: string): boolean {
    return [...this.machines.values()].some(
      (m) => m.view.runnerId === runnerId && m.view.state !== 'terminated',
    );
  }

  alive(): number {
    return [...this.machines.values()].filter((m) => m.view.state !== 'terminated').length;
  }
}
