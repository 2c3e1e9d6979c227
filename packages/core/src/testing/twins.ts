/**
 * In-memory twins of core's ports (besides the event store, see in-memory-event-store.ts).
 * They keep real state and honour each port's contract, so use cases can be tested fast
 * and offline; the adapters are tested against emulators with the same contract suites.
 */
import type { MessageQueue } from '../ports/message-queue';
import type {
  DeleteRunnerOutcome,
  JitConfigRequest,
  JitConfigResult,
  JobStatusRead,
  RerunJobOutcome,
  RunnerRegistry,
  RunnerScope,
  WebhookRecovery,
} from '../ports/runner-registry';
import type {
  BinaryStore,
  Clock,
  IdGenerator,
  LogAttributes,
  Logger,
  Metrics,
  MetricUnit,
} from '../ports/runtime';
import type { RunnerSecretRef, SecretReader, SecretStore } from '../ports/secret-store';
import type { RegisteredRunnerView } from '../scaling/views';
import { RunnerId, toIso, toMillis, type IsoTime, type JobId } from '../shared/brand';
import { DependencyError } from '../shared/errors';

export { InMemoryComputeProvider } from './in-memory-compute-provider';

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: IsoTime = '2026-01-05T09:00:00.000Z') {
    this.ms = toMillis(start);
  }
  now(): IsoTime {
    return toIso(this.ms);
  }
  advanceMinutes(minutes: number): void {
    this.ms += minutes * 60_000;
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
  set(at: IsoTime): void {
    this.ms = toMillis(at);
  }
}

/** Predictable on purpose (tests): `unguessable` only has the production format. */
export class SequentialIds implements IdGenerator {
  private n = 0;
  private secrets = 0;
  next(): string {
    this.n += 1;
    return String(this.n).padStart(6, '0');
  }
  unguessable(): string {
    this.secrets += 1;
    return this.secrets.toString(16).padStart(32, '0');
  }
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: LogAttributes;
}

export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'debug', message, attributes });
  }
  info(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'error', message, attributes });
  }
}

export class RecordingMetrics implements Metrics {
  readonly points: {
    name: string;
    value: number;
    unit: MetricUnit;
    dimensions: Readonly<Record<string, string>>;
  }[] = [];
  add(
    name: string,
    value: number,
    unit: MetricUnit,
    dimensions: Readonly<Record<string, string>> = {},
  ): void {
    this.points.push({ name, value, unit, dimensions });
  }
  total(name: string): number {
    return this.points.filter((point) => point.name === name).reduce((sum, point) => sum + point.value, 0);
  }
}

/** A queue that keeps what was sent, with its delay; `drain()` hands messages to a consumer. */
export class RecordingQueue<M> implements MessageQueue<M> {
  readonly sent: { body: M; delaySeconds: number; groupId?: string; dedupId?: string }[] = [];
  private cursor = 0;
  async send(
    messages: readonly { readonly body: M; readonly groupId?: string; readonly dedupId?: string }[],
    options?: { readonly delaySeconds?: number },
  ): Promise<void> {
    const delaySeconds = options?.delaySeconds ?? 0;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900) {
      throw new DependencyError(
        'queue',
        'send',
        `delaySeconds must be an integer 0–900, got ${delaySeconds}`,
        false,
      );
    }
    // A JSON round trip, like a real queue: nothing shared by reference.
    for (const message of messages)
      this.sent.push({ ...message, body: JSON.parse(JSON.stringify(message.body)) as M, delaySeconds });
  }
  /** Messages sent since the last take. */
  take(): M[] {
    const taken = this.sent.slice(this.cursor).map((entry) => entry.body);
    this.cursor = this.sent.length;
    return taken;
  }
}

interface StoredSecret {
  readonly value: string;
  readonly storedAt: IsoTime;
  readonly suffix: string | null;
  readonly reader: SecretReader;
}

/**
 * Secrets by runner (one name per runner: its id and the suffix recorded when it was
 * requested). A ref with another suffix finds nothing, as a guessed name would not on AWS.
 */
export class InMemorySecretStore implements SecretStore {
  readonly values = new Map<string, StoredSecret>();
  constructor(
    private readonly clock: Clock,
    private readonly prefix = '/hangar/runners',
  ) {}
  pathFor(ref: RunnerSecretRef): string {
    return `${this.prefix}/${ref.runnerId}${ref.suffix === null ? '' : `.${ref.suffix}`}`;
  }
  async put(ref: RunnerSecretRef, value: string, reader: SecretReader): Promise<void> {
    this.values.set(ref.runnerId, { value, storedAt: this.clock.now(), suffix: ref.suffix, reader });
  }
  async get(ref: RunnerSecretRef): Promise<string | null> {
    return this.stored(ref)?.value ?? null;
  }
  async delete(ref: RunnerSecretRef): Promise<void> {
    if (this.stored(ref)) this.values.delete(ref.runnerId);
  }
  async list(): Promise<readonly (RunnerSecretRef & { readonly storedAt: IsoTime })[]> {
    return [...this.values.entries()].map(([runnerId, entry]) => ({
      runnerId: RunnerId(runnerId),
      suffix: entry.suffix,
      storedAt: entry.storedAt,
    }));
  }
  /** The machine a runner's secret is bound to, or null when it has none. */
  readerOf(runnerId: RunnerId): SecretReader | null {
    return this.values.get(runnerId)?.reader ?? null;
  }
  /** The ref under which a runner's secret is stored (what its machine was told), if any. */
  refOf(runnerId: RunnerId): RunnerSecretRef | null {
    const entry = this.values.get(runnerId);
    return entry ? { runnerId, suffix: entry.suffix } : null;
  }
  /** The value of a runner's secret, whatever its name. */
  valueOf(runnerId: RunnerId): string | null {
    return this.values.get(runnerId)?.value ?? null;
  }
  /** Every stored name, sorted. */
  pathsStored(): string[] {
    return [...this.values.entries()]
      .map(([runnerId, entry]) => this.pathFor({ runnerId: RunnerId(runnerId), suffix: entry.suffix }))
      .sort();
  }
  private stored(ref: RunnerSecretRef): StoredSecret | undefined {
    const entry = this.values.get(ref.runnerId);
    return entry?.suffix === ref.suffix ? entry : undefined;
  }
}

interface TwinRegistration extends RegisteredRunnerView {
  scope: string;
}

/** GitHub's runner registry: registrations with busy state, job statuses, and call counts. */
export class InMemoryRunnerRegistry implements RunnerRegistry, WebhookRecovery {
  readonly registrations = new Map<number, TwinRegistration>();
  readonly jobStatuses = new Map<string, JobStatusRead>();
  /** Jobs GitHub accepted to re-run. */
  readonly reruns: string[] = [];
  /** GitHub's next answers to `rerunJob`, in order (an Error is thrown); then `requested`. */
  readonly rerunAnswers: Array<RerunJobOutcome | Error> = [];
  readonly calls: string[] = [];
  failuresRemaining = 0;
  /** The next N JIT calls take effect, then their answer is lost (a dropped connection). */
  answersLost = 0;
  redeliverable = 0;
  private n = 100;

  private call(name: string): void {
    this.calls.push(name);
    if (this.failuresRemaining > 0) {
      this.failuresRemaining -= 1;
      throw new DependencyError('github', name, 'HTTP 502 Bad Gateway', true);
    }
  }

  private loseAnswer(name: string): void {
    if (this.answersLost <= 0) return;
    this.answersLost -= 1;
    throw new DependencyError('github', name, 'socket hang up after the request was sent', true);
  }

  async createJitConfig(request: JitConfigRequest): Promise<JitConfigResult> {
    this.call('createJitConfig');
    const scope = scopeKey(request.scope);
    for (const existing of this.registrations.values()) {
      if (existing.name === request.runnerName && existing.scope === scope) return { outcome: 'name-taken' };
    }
    this.n += 1;
    this.registrations.set(this.n, {
      githubRunnerId: this.n,
      name: request.runnerName,
      status: 'offline',
      busy: false,
      labels: request.labels,
      scope: scopeKey(request.scope),
    });
    this.loseAnswer('createJitConfig');
    return {
      outcome: 'issued',
      githubRunnerId: this.n,
      encodedJitConfig: `jit:${request.runnerName}:${this.n}`,
    };
  }

  async createRegistrationToken(): Promise<{ readonly token: string; readonly expiresAt: IsoTime }> {
    this.call('createRegistrationToken');
    return { token: `token-${this.n + 1}`, expiresAt: '2099-01-01T00:00:00.000Z' };
  }

  async listRunners(scope: RunnerScope): Promise<readonly RegisteredRunnerView[]> {
    this.call('listRunners');
    return [...this.registrations.values()]
      .filter((r) => r.scope === scopeKey(scope))
      .map(({ scope: _scope, ...view }) => view);
  }

  async deleteRunner(scope: RunnerScope, githubRunnerId: number): Promise<DeleteRunnerOutcome> {
    this.call('deleteRunner');
    const registration = this.registrations.get(githubRunnerId);
    // GitHub answers 404 for a runner id of another organisation or repository.
    if (!registration || registration.scope !== scopeKey(scope)) return 'not-found';
    if (registration.busy) return 'busy';
    this.registrations.delete(githubRunnerId);
    return 'deleted';
  }

  async getJobStatus(_owner: string, _repo: string, jobId: JobId): Promise<JobStatusRead | null> {
    this.call('getJobStatus');
    return this.jobStatuses.get(jobId) ?? null;
  }

  async rerunJob(_owner: string, _repo: string, jobId: JobId): Promise<RerunJobOutcome> {
    this.call('rerunJob');
    const answer = this.rerunAnswers.shift() ?? { kind: 'requested' };
    if (answer instanceof Error) throw answer;
    if (answer.kind === 'requested') this.reruns.push(jobId);
    return answer;
  }

  async redeliverFailed(): Promise<{ readonly inspected: number; readonly redelivered: number }> {
    this.call('redeliverFailed');
    const redelivered = this.redeliverable;
    this.redeliverable = 0;
    return { inspected: redelivered, redelivered };
  }

  /** A reusable runner's `config.sh` registering itself with its registration token: online, idle. */
  selfRegister(name: string, scope: RunnerScope, labels: readonly string[]): number {
    this.n += 1;
    this.registrations.set(this.n, {
      githubRunnerId: this.n,
      name,
      status: 'online',
      busy: false,
      labels,
      scope: scopeKey(scope),
    });
    return this.n;
  }

  /** The runner with this name connects (online) and optionally takes a job (busy). */
  setRunner(name: string, state: { status?: 'online' | 'offline'; busy?: boolean }): void {
    for (const [id, registration] of this.registrations) {
      if (registration.name === name) this.registrations.set(id, { ...registration, ...state });
    }
  }

  byName(name: string): RegisteredRunnerView | undefined {
    return [...this.registrations.values()].find((registration) => registration.name === name);
  }
}

function scopeKey(scope: RunnerScope): string {
  return scope.level === 'repo' ? `${scope.owner}/${scope.repo}` : scope.owner;
}

export class InMemoryBinaryStore implements BinaryStore {
  readonly objects = new Map<string, { body: Uint8Array; version: string }>();
  puts = 0;
  async head(key: string): Promise<{ readonly version: string | null } | null> {
    const object = this.objects.get(key);
    return object ? { version: object.version } : null;
  }
  async put(key: string, body: Uint8Array, metadata: { readonly version: string }): Promise<void> {
    this.puts += 1;
    this.objects.set(key, { body, version: metadata.version });
  }
}
