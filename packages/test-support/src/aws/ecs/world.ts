import { createObservers } from '../shared/calls';
import type { EcsStateChange, EcsTask, EcsTaskStatus, FargateProvider } from './types';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const FARGATE_CAPACITY_REASON =
  'Capacity is unavailable at this time. Please try again later or in a different availability zone';

/** A client-visible failure, answered as `{"__type": code, "message": …}`. */
export class EcsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'EcsApiError';
  }
}

interface TaskDefinition {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly containers: readonly string[];
}

const NEXT: Partial<Record<EcsTaskStatus, EcsTaskStatus>> = {
  PROVISIONING: 'PENDING',
  PENDING: 'RUNNING',
  DEPROVISIONING: 'STOPPED',
};

/** The emulator's in-memory account: clusters, task definitions, tasks, capacity, tokens. */
export class EcsWorld {
  readonly clusters = new Set<string>();
  readonly taskDefinitions: TaskDefinition[] = [];
  readonly tasks = new Map<string, EcsTask>();
  readonly runTokens = new Map<string, { fingerprint: string; response: unknown }>();
  private readonly capacity = new Map<FargateProvider, { left: number | 'unlimited'; reason: string }>();
  private readonly observers = createObservers<EcsStateChange>();

  constructor(readonly clock: () => Date) {}

  clusterArn(name: string): string {
    return `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;
  }

  /** Cluster name from a name or ARN; unknown clusters fail like ECS. */
  resolveCluster(value: unknown): string {
    const name =
      typeof value === 'string' && value !== ''
        ? value.replace(/^arn:aws:ecs:[^:]+:\d+:cluster\//, '')
        : 'default';
    if (!this.clusters.has(name)) throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.');
    return name;
  }

  register(family: string, containers: readonly string[]): string {
    const revision = this.taskDefinitions.filter((d) => d.family === family).length + 1;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    this.taskDefinitions.push({ arn, family, revision, containers });
    return arn;
  }

  /** `family`, `family:revision` or a full ARN, like ECS; the latest revision for a family. */
  findTaskDefinition(reference: string): TaskDefinition | undefined {
    const short = reference.replace(/^arn:aws:ecs:[^:]+:\d+:task-definition\//, '');
    const [family, revision] = short.split(':');
    const matching = this.taskDefinitions.filter((d) => d.family === family);
    if (revision === undefined) return matching[matching.length - 1];
    return matching.find((d) => d.revision === Number(revision));
  }

  setCapacity(provider: FargateProvider, left: number | 'unlimited', reason: string): void {
    this.capacity.set(provider, { left, reason });
  }

  /** Takes one unit of capacity; the failure reason when none is left. */
  takeCapacity(provider: FargateProvider): { ok: true } | { ok: false; reason: string } {
    const entry = this.capacity.get(provider);
    if (!entry || entry.left === 'unlimited') return { ok: true };
    if (entry.left <= 0) return { ok: false, reason: entry.reason };
    entry.left -= 1;
    return { ok: true };
  }

  addTask(task: EcsTask): void {
    this.tasks.set(task.taskArn, task);
    this.emit(task, null, 'run');
  }

  update(taskArn: string, patch: Partial<EcsTask>, cause: EcsStateChange['cause']): EcsTask {
    const current = this.tasks.get(taskArn);
    if (!current) throw new EcsApiError('InvalidParameterException', 'The referenced task was not found.');
    const next = { ...current, ...patch };
    this.tasks.set(taskArn, next);
    if (next.lastStatus !== current.lastStatus) this.emit(next, current.lastStatus, cause);
    return next;
  }

  advance(): void {
    for (const task of [...this.tasks.values()]) {
      const next = NEXT[task.lastStatus];
      if (next) this.update(task.taskArn, { lastStatus: next }, 'advance');
    }
  }

  onStateChange(listener: (change: EcsStateChange) => void): () => void {
    return this.observers.subscribe(listener);
  }

  private emit(task: EcsTask, previousStatus: EcsTaskStatus | null, cause: EcsStateChange['cause']): void {
    this.observers.emit({
      taskArn: task.taskArn,
      clusterArn: task.clusterArn,
      previousStatus,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      cause,
      at: this.clock(),
    });
  }
}
