/**
 * Infrastructure failures that cross a port. Expected business outcomes are values, never
 * these. Every error says what failed and whether retrying can help.
 */
export abstract class HangarError extends Error {
  abstract readonly retryable: boolean;
  /**
   * Spelled out by every subclass rather than taken from the class: the Lambda bundles are
   * minified without keeping names (see runtime-lambda's build.mjs), and the name is what logs,
   * results and callers (`error.name === 'ConfigurationError'`) see.
   */
  abstract override readonly name: string;
}

/** The stream moved on since it was read: re-read, re-decide, append again. */
export class VersionConflictError extends HangarError {
  override readonly name = 'VersionConflictError';
  readonly retryable = true;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      `Version conflict on stream ${streamId}: expected version ${expectedVersion}, found ${actualVersion ?? 'a different version'}`,
      options,
    );
  }
}

/**
 * A dependency (AWS, GitHub) failed; `retryable` says whether trying again can succeed.
 * `notApplied`: the dependency answered that it did nothing (throttled, refused, a limit) —
 * unlike a 5xx, a timeout or a dropped connection, after which it may have done it.
 */
export class DependencyError extends HangarError {
  override readonly name = 'DependencyError';
  constructor(
    readonly dependency: string,
    readonly operation: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterSeconds?: number; notApplied?: boolean },
  ) {
    super(`${dependency} ${operation} failed: ${message}`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.notApplied = options?.notApplied === true;
  }
  readonly retryAfterSeconds: number | undefined;
  readonly notApplied: boolean;
}

/** Settings are missing or invalid; retrying never helps until an operator fixes them. */
export class ConfigurationError extends HangarError {
  override readonly name = 'ConfigurationError';
  readonly retryable = false;
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid configuration: ${problems.join('; ')}`, options);
  }
}

/** Optimistic-concurrency retries ran out; the caller should retry the whole unit later. */
export class ConcurrencyExhaustedError extends HangarError {
  override readonly name = 'ConcurrencyExhaustedError';
  readonly retryable = true;
  constructor(
    readonly streamId: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`Gave up on stream ${streamId} after ${attempts} version conflicts`, options);
  }
}
