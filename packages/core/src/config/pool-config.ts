import type { PoolId } from '../shared/brand';

/**
 * How a workflow job's `runs-on` labels are compared with a pool's labels (case-insensitive).
 * - `exact`: the two label sets are equal;
 * - `subset`: every job label is one of the pool's labels (the reference's `exactMatch: true`);
 * - `loose`: at least one job label is one of the pool's labels (the reference's `exactMatch: false`).
 */
export type LabelMatchMode = 'exact' | 'subset' | 'loose';

/** Keep `idleCount` runners idle while the cron window matches (the reference's `idle_config`). */
export interface IdleWindow {
  /**
   * Cron in any form `parseCron` accepts, e.g. `* * 9-17 * * 1-5`; the window is "on" while
   * the cron has an occurrence within the next minute.
   */
  readonly cron: string;
  /** IANA time zone, e.g. `Europe/Amsterdam`; default UTC. */
  readonly timeZone?: string;
  readonly idleCount: number;
  /** Which idle runners go first when there are too many (default `oldest-first`). */
  readonly evictionStrategy?: 'oldest-first' | 'newest-first';
}

/**
 * From each firing of `cron` until another schedule of the pool fires, top the pool up to
 * `size` idle runners and keep that many (see `activePoolSchedule`).
 */
export interface PoolSchedule {
  /** Cron in any form `parseCron` accepts: when this size takes over. */
  readonly cron: string;
  readonly timeZone?: string;
  readonly size: number;
}

/** Where runners of this pool run. Details beyond `kind` belong to the compute adapter. */
export type ComputeKind = 'ec2' | 'fargate';

/** Spot capacity with optional on-demand failover for chosen launch error codes. */
export interface CapacitySettings {
  readonly type: 'spot' | 'on-demand';
  /** Launch error codes (e.g. `InsufficientInstanceCapacity`) that trigger an on-demand retry. */
  readonly onDemandFailoverFor: readonly string[];
}

/**
 * One runner configuration (the reference's "multi-runner" entry). Everything a policy
 * needs; no AWS-specific field lives here.
 */
export interface PoolConfig {
  readonly id: PoolId;
  /** Labels the runners get (`self-hosted` is added by GitHub when missing). */
  readonly labels: readonly string[];
  readonly matching: { readonly mode: LabelMatchMode; readonly priority: number };
  /**
   * Org-level runners are registered in the organisation and serve every repository of
   * `owner`; repo-level runners are registered in `owner/repo` and serve its jobs only.
   */
  readonly level: 'org' | 'repo';
  /** GitHub org (or user) that owns the repositories this pool serves. */
  readonly owner: string;
  /** The one repository (name without owner) of a repo-level pool; absent at org level. */
  readonly repo?: string;
  readonly runnerGroup?: string;
  readonly namePrefix: string;
  readonly ephemeral: boolean;
  /** Runners requested and alive never exceed this; -1 means unlimited. */
  readonly maxRunners: number;
  /** A runner younger than this is never scaled down (reusable runners). */
  readonly minimumRunningTimeMinutes: number;
  /** A launched runner not online after this is an orphan. */
  readonly bootTimeMinutes: number;
  /** Ask GitHub whether the job is still queued before launching (costs one API call). */
  readonly jobQueuedCheck: boolean;
  readonly idleWindows: readonly IdleWindow[];
  readonly poolSchedules: readonly PoolSchedule[];
  readonly compute: ComputeKind;
  readonly capacity: CapacitySettings;
  /** Launch attempts per runner before the request is given up (retryable failures). */
  readonly maxLaunchAttempts: number;
  /**
   * Ephemeral runners register with a just-in-time config (default true). False gives them a
   * registration token and `config.sh --ephemeral` instead (older GHES without JIT).
   */
  readonly jitConfig?: boolean;
  /**
   * The labels GitHub's runner would add itself (`self-hosted`, OS, architecture), added to a
   * JIT registration, which gets no defaults from GitHub. Empty: default labels are off, and a
   * registration-token runner is told so (`--no-default-labels`). Unset: as before this
   * setting existed — JIT runners get exactly `labels`, `config.sh` adds its defaults.
   */
  readonly defaultLabels?: readonly string[];
}

/** Settings that hold across pools. */
export interface ScalerSettings {
  readonly pools: readonly PoolConfig[];
  /** `owner/repo` names allowed to use these runners; empty = all repositories. */
  readonly repositoryAllowList: readonly string[];
  /** A queued job with no runner making progress for this long is requested again. */
  readonly jobRetryAfterMinutes: number;
  /** Runner requests per job before the reconciler gives up on it. */
  readonly maxRunnerRequestsPerJob: number;
  /** GitHub cancels jobs queued this long (24 h); the reconciler stops caring after it. */
  readonly jobQueueLimitMinutes: number;
}
