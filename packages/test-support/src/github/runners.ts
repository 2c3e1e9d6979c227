import { randomBytes } from 'node:crypto';
import { HttpError } from './http-kit';
import { decodeJitConfig, encodeJitConfig } from './jit-config';
import { runnerJson } from './payloads';
import { sameName, type FakeGitHubState } from './state';
import type { SimClock, SimEvent } from './sim-events';
import type { LabelRecord, RunnerRecord, RunnerScope } from './types';

/** Options for a runner registration. */
export interface RegisterOptions {
  readonly name: string;
  readonly labels: readonly string[];
  readonly groupId: number;
  readonly ephemeral: boolean;
  readonly jit: boolean;
  readonly workFolder?: string;
}

/** Labels GitHub itself assigns; the API types them `read-only`. */
const SYSTEM_LABELS = new Set(['self-hosted', 'linux', 'windows', 'macos', 'x64', 'arm64', 'arm', 'x86']);
const REGISTRATION_TOKEN_TTL_MS = 60 * 60 * 1000;

export const sameScope = (a: RunnerScope, b: RunnerScope): boolean =>
  a.kind === 'org'
    ? b.kind === 'org' && sameName(a.org, b.org)
    : b.kind === 'repo' && sameName(a.repo, b.repo);

function osOf(labels: readonly string[]): string {
  const lower = labels.map((l) => l.toLowerCase());
  if (lower.includes('windows')) return 'Windows';
  if (lower.includes('macos') || lower.includes('osx')) return 'macOS';
  if (lower.includes('linux')) return 'Linux';
  return 'unknown';
}

/** Runner registrations: JIT configs, registration tokens, connect/disconnect, removal. */
export class Runners {
  private readonly registrationTokens = new Map<string, { scope: RunnerScope; expiresAtMs: number }>();

  constructor(
    private readonly state: FakeGitHubState,
    private readonly clock: SimClock,
    private readonly busyLagMs: number,
    private readonly emit: (event: SimEvent) => void,
  ) {}

  /** Registers a runner; 409 when the name is taken in that scope, as GitHub answers. */
  register(scope: RunnerScope, options: RegisterOptions): RunnerRecord {
    if (this.inScope(scope).some((r) => sameName(r.name, options.name))) {
      throw new HttpError(409, `Already exists - A runner with the name ${options.name} already exists.`);
    }
    const labels: LabelRecord[] = options.labels.map((name) => ({
      id: this.state.id('label'),
      name,
      type: SYSTEM_LABELS.has(name.toLowerCase()) ? 'read-only' : 'custom',
    }));
    const runner: RunnerRecord = {
      id: this.state.id('runner'),
      name: options.name,
      os: osOf(options.labels),
      scope,
      groupId: options.groupId,
      labels,
      ephemeral: options.ephemeral,
      jit: options.jit,
      secret: randomBytes(16).toString('hex'),
      workFolder: options.workFolder ?? '_work',
      createdAt: this.clock.iso(),
      status: 'offline',
      busy: false,
      jobId: null,
      assignedAtMs: null,
      connected: false,
    };
    this.state.runners.set(runner.id, runner);
    this.emit({ type: 'runner-registered', runnerId: runner.id, name: runner.name });
    return runner;
  }

  inScope(scope: RunnerScope): RunnerRecord[] {
    return [...this.state.runners.values()].filter((r) => sameScope(r.scope, scope));
  }

  /**
   * GitHub's `busy` flag lags behind reality (25–60 s after a job starts, by users' reports).
   * With `runnerBusyLagMs` the API reports a freshly assigned runner as idle for that long.
   */
  reportedBusy(runner: RunnerRecord): boolean {
    return runner.busy && this.clock.now() >= (runner.assignedAtMs ?? 0) + this.busyLagMs;
  }

  view(runner: RunnerRecord): Record<string, unknown> {
    return { ...runnerJson(runner), busy: this.reportedBusy(runner) };
  }

  jitConfig(runner: RunnerRecord, serverUrl: string): string {
    return encodeJitConfig({
      runnerId: runner.id,
      runnerName: runner.name,
      groupId: runner.groupId,
      serverUrl,
      workFolder: runner.workFolder,
      secret: runner.secret,
    });
  }

  /** A registration token for `config.sh --token`; GitHub's last one hour. */
  issueRegistrationToken(scope: RunnerScope): { token: string; expiresAt: string } {
    const token = `A${randomBytes(20).toString('hex').toUpperCase().slice(0, 28)}`;
    const expiresAtMs = this.clock.now() + REGISTRATION_TOKEN_TTL_MS;
    this.registrationTokens.set(token, { scope, expiresAtMs });
    return { token, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The runner process starts with its JIT config and goes online; a config is good once. */
  connect(encodedJitConfig: string): RunnerRecord {
    const config = decodeJitConfig(encodedJitConfig);
    const runner = this.state.runners.get(config.runnerId);
    if (!runner || runner.secret !== config.secret)
      throw new Error(`Runner ${config.runnerId} is not registered`);
    if (runner.connected) throw new Error(`JIT config of runner ${runner.id} was already used`);
    return this.online(runner);
  }

  /** `config.sh --token` then `run.sh`: registers (with default labels) and goes online. */
  connectWithToken(
    token: string,
    options: {
      name: string;
      labels?: string[];
      ephemeral?: boolean;
      groupId?: number;
      noDefaultLabels?: boolean;
    },
  ): RunnerRecord {
    const issued = this.registrationTokens.get(token);
    if (!issued || issued.expiresAtMs <= this.clock.now())
      throw new Error('Invalid or expired registration token');
    const defaults = options.noDefaultLabels ? [] : ['self-hosted', 'Linux', 'X64'];
    const runner = this.register(issued.scope, {
      name: options.name,
      labels: [...defaults, ...(options.labels ?? [])],
      groupId: options.groupId ?? 1,
      ephemeral: options.ephemeral ?? false,
      jit: false,
    });
    return this.online(runner);
  }

  /** Brings a registered (non-JIT, or never connected) runner online again. */
  online(runner: RunnerRecord): RunnerRecord {
    runner.connected = true;
    runner.status = 'online';
    this.emit({ type: 'runner-online', runnerId: runner.id });
    return runner;
  }

  offline(runner: RunnerRecord): void {
    runner.status = 'offline';
    this.emit({ type: 'runner-offline', runnerId: runner.id });
  }

  remove(runner: RunnerRecord, reason: 'deleted' | 'ephemeral-done'): void {
    this.state.runners.delete(runner.id);
    this.emit({ type: 'runner-removed', runnerId: runner.id, reason });
  }
}
