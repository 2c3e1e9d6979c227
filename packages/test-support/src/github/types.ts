import type { KeyObject } from 'node:crypto';

/** `workflow_job` webhook actions, in the order GitHub normally sends them. */
export type WorkflowJobAction = 'waiting' | 'queued' | 'in_progress' | 'completed';

/** Job status as the REST API reports it. `waiting` means an environment approval is pending. */
export type JobStatus = 'queued' | 'waiting' | 'in_progress' | 'completed';

/** The conclusions a finished job can have (GitHub's REST values). */
export type JobConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral';

/** Where a runner is registered: at organisation level or at repository level. */
export type RunnerScope =
  { readonly kind: 'org'; readonly org: string } | { readonly kind: 'repo'; readonly repo: string };

/** A GitHub App as registered by the test. */
export interface AppRecord {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly publicKey: KeyObject;
  webhook: { url: string; secret: string } | null;
}

/**
 * An account that owns repositories: an organisation, or a user (personal account, which has
 * no organisation routes and no runner groups). `login` keeps the caller's spelling; lookups
 * are case-insensitive.
 */
export interface OrgRecord {
  readonly id: number;
  readonly login: string;
  readonly type: 'Organization' | 'User';
}

/** A repository owned by an organisation. */
export interface RepoRecord {
  readonly id: number;
  readonly name: string;
  readonly fullName: string;
  readonly owner: string;
}

/** An App installation on one organisation, on all its repositories or on selected ones. */
export interface InstallationRecord {
  readonly id: number;
  readonly appId: number;
  readonly org: string;
  /** `'all'` or lower-cased repository names. */
  repositories: 'all' | string[];
  readonly createdAt: string;
  /**
   * The installation's Actions permission (absent = `write`, what Hangar's App needs). Only the
   * job re-run route consults it: with `read`, GitHub answers 403 "Resource not accessible by
   * integration".
   */
  actionsPermission?: 'read' | 'write';
}

/** A runner group of an organisation. Every organisation has `Default` with id 1. */
export interface RunnerGroupRecord {
  readonly id: number;
  readonly org: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly visibility: 'all' | 'selected';
  /** Lower-cased repository names when visibility is `selected`. */
  readonly repositories: readonly string[];
}

/** A label attached to a runner; GitHub calls the built-in ones `read-only`. */
export interface LabelRecord {
  readonly id: number;
  readonly name: string;
  readonly type: 'read-only' | 'custom';
}

/** A self-hosted runner registration and the state of the process behind it. */
export interface RunnerRecord {
  readonly id: number;
  readonly name: string;
  readonly os: string;
  readonly scope: RunnerScope;
  readonly groupId: number;
  readonly labels: readonly LabelRecord[];
  readonly ephemeral: boolean;
  /** True when created by generate-jitconfig. */
  readonly jit: boolean;
  readonly secret: string;
  readonly workFolder: string;
  readonly createdAt: string;
  status: 'online' | 'offline';
  busy: boolean;
  jobId: number | null;
  /** Simulation time (ms) of the last assignment; used for the busy-flag lag. */
  assignedAtMs: number | null;
  /** True once the runner process has connected; a JIT config is good for one connection. */
  connected: boolean;
}

/** A workflow run (one per `queueJob` unless a run id is given). */
export interface RunRecord {
  readonly id: number;
  readonly repo: string;
  readonly name: string;
  readonly headSha: string;
  readonly headBranch: string;
  readonly createdAt: string;
  updatedAt: string;
  cancelRequested: boolean;
}

/** A workflow job and its lifecycle. */
export interface JobRecord {
  readonly id: number;
  readonly runId: number;
  readonly repo: string;
  readonly name: string;
  readonly labels: readonly string[];
  /** 1 for a first run; a re-run job is a new job with the next attempt number. */
  readonly runAttempt: number;
  /** The job belongs to a reusable (called) workflow: GitHub refuses to re-run it on its own (403). */
  readonly inReusableWorkflow?: boolean;
  readonly createdAt: string;
  /** How long the job runs once assigned; completed by `tick()` when the clock passes it. */
  readonly durationMs: number | null;
  status: JobStatus;
  conclusion: JobConclusion | null;
  startedAt: string;
  startedAtMs: number | null;
  completedAt: string | null;
  runnerId: number | null;
  runnerName: string | null;
  runnerGroupId: number | null;
  runnerGroupName: string | null;
}

/** One attempt to deliver a webhook (what `GET /app/hook/deliveries/{id}` shows). */
export interface DeliveryRecord {
  readonly id: number;
  readonly guid: string;
  readonly appId: number;
  readonly installationId: number;
  readonly repositoryId: number | null;
  readonly event: string;
  readonly action: string | null;
  readonly redelivery: boolean;
  readonly deliveredAt: string;
  /** Seconds, as GitHub reports it. */
  readonly duration: number;
  readonly status: string;
  readonly statusCode: number;
  /** True for a 2xx answer. */
  readonly ok: boolean;
  readonly url: string;
  readonly request: { readonly headers: Record<string, string>; readonly payload: unknown };
  readonly response: { readonly headers: Record<string, string>; readonly payload: string };
}

/** A release of actions/runner. */
export interface ReleaseSpec {
  /** Without the leading `v`, e.g. `2.330.0`. */
  readonly version: string;
  readonly prerelease?: boolean;
  readonly draft?: boolean;
  readonly publishedAt?: string;
}
