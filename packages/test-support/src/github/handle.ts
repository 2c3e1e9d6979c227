import type { CallCounts } from './calls';
import type { FaultSpec } from './faults';
import type { QueueJobOptions } from './jobs';
import type { RateLimitOptions } from './rate-limit';
import type { AssignmentMode, TickResult } from './simulation';
import type { SimEvent } from './sim-events';
import type { DeliveryRecord, JobConclusion, JobRecord, ReleaseSpec, RunnerRecord, RunRecord } from './types';
import type { DeliveryRule, HeldDelivery } from './webhooks';

/** Options of `startFakeGitHub`. */
export interface FakeGitHubOptions {
  /** Simulation clock (epoch ms): timestamps, job durations, 24 h queue limit, busy lag. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Auth clock for JWT checks, installation token expiry and rate-limit windows. Default
   * `Date.now`: Octokit signs JWTs and caches tokens on real time, so keep it real unless the
   * test is about expiry.
   */
  readonly authNow?: () => number;
  /** `auto` (default) assigns jobs synchronously after each simulation call; `manual` only in `tick()`. */
  readonly assignment?: AssignmentMode;
  /** How long a webhook endpoint may take before the delivery fails. GitHub: 10 s. */
  readonly webhookTimeoutMs?: number;
  /** How long GitHub keeps reporting a freshly assigned runner as not busy. Default 0. */
  readonly runnerBusyLagMs?: number;
  readonly rateLimit?: RateLimitOptions;
  readonly releases?: readonly ReleaseSpec[];
}

/** A registered App and its key, ready for `createAppAuth({ appId, privateKey, installationId })`. */
export interface FakeApp {
  readonly appId: number;
  readonly privateKey: string;
}

/** Delivery control and redelivery. */
export interface WebhookControls {
  /** Adds a rule (drop/duplicate/hold/delay) for matching future events; returns its id. */
  addRule(rule: DeliveryRule): number;
  removeRule(id: number): void;
  clearRules(): void;
  held(): HeldDelivery[];
  /** Sends held deliveries in the given GUID order, or all oldest first. */
  release(guids?: readonly string[]): void;
  /** Same as `POST /app/hook/deliveries/{id}/attempts`. */
  redeliver(deliveryId: number): void;
  /** Waits until queued and delayed deliveries have been sent (held ones stay held). */
  settle(): Promise<void>;
}

/** The running fake: its URL, setup, simulation, fault injection and call counts. */
export interface FakeGitHub {
  /** `http://127.0.0.1:PORT`, the `baseUrl` for Octokit. */
  readonly url: string;
  close(): Promise<void>;

  /** Registers an App; generates an RSA key unless `privateKey` (PEM) is given. */
  addApp(options?: { appId?: number; privateKey?: string; slug?: string; name?: string }): FakeApp;
  addOrg(login: string): { id: number; login: string };
  /** A personal account; repositories added under it are user-owned (no organisation routes). */
  addUser(login: string): { id: number; login: string };
  addRepo(fullName: string): { id: number; fullName: string };
  /** Installs on `'org'` (all repositories) or `'org/repo'` (selected); returns the installation id. */
  install(appId: number, target: string): number;
  /** Removes the installation and, with it, every token it issued. */
  uninstall(appId: number, org: string): void;
  /**
   * The installation's Actions permission (default `write`). With `read`, re-running a job is
   * refused with 403 "Resource not accessible by integration", as GitHub does.
   */
  setActionsPermission(installationId: number, level: 'read' | 'write'): void;
  addRunnerGroup(
    org: string,
    options: { name: string; visibility?: 'all' | 'selected'; repositories?: string[] },
  ): number;
  setReleases(releases: readonly ReleaseSpec[]): void;
  /** Where the App's webhooks go (loopback only); `null` stops deliveries. */
  setWebhook(appId: number, hook: { url: string; secret: string } | null): void;
  readonly webhooks: WebhookControls;

  queueJob(options: QueueJobOptions): { jobId: number; runId: number };
  approve(jobId: number): void;
  completeJob(jobId: number, conclusion?: JobConclusion): void;
  cancelJob(jobId: number): void;
  tick(): TickResult;

  connectRunner(encodedJitConfig: string): RunnerRecord;
  connectRunnerWithToken(
    registrationToken: string,
    options: {
      name: string;
      labels?: string[];
      ephemeral?: boolean;
      groupId?: number;
      noDefaultLabels?: boolean;
    },
  ): RunnerRecord;
  reconnectRunner(runnerId: number): RunnerRecord;
  disconnectRunner(runnerId: number): void;

  /** Snapshots (copies) of the records. */
  runners(): RunnerRecord[];
  jobs(): JobRecord[];
  runs(): RunRecord[];
  deliveries(): DeliveryRecord[];
  job(jobId: number): JobRecord;
  runner(runnerId: number): RunnerRecord | undefined;
  /** Calls `listener` for every simulation event; returns an unsubscribe function. */
  subscribe(listener: (event: SimEvent) => void): () => void;

  readonly faults: { add(spec: FaultSpec): number; remove(id: number): void; clear(): void };
  calls(): CallCounts;
  resetCalls(): void;
  /** Sets an installation's remaining primary rate limit (0 = exhausted until `resetAtMs`). */
  setRateLimit(installationId: number, remaining: number, resetAtMs?: number): void;
  /** Invalidates every installation token, as if an hour had passed. */
  expireInstallationTokens(): void;
  /** Every route the fake serves, as `{ method, template }` (for coverage checks). */
  routes(): { readonly method: string; readonly template: string }[];
  /** Exceptions thrown by the fake's own handlers (answered 500); a test may assert it is empty. */
  internalErrors(): unknown[];
}
