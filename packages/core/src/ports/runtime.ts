import type { IsoTime } from '../shared/brand';

/** The time, injected: core never reads the system clock. */
export interface Clock {
  now(): IsoTime;
}

/** Fresh ids and unguessable names: core has no randomness of its own. */
export interface IdGenerator {
  /** A fresh unique id (pool top-up runners; job runners have ids derived from the job). */
  next(): string;
  /**
   * 128 bits from a cryptographically secure generator as 32 lowercase hex characters: the
   * part of a runner's secret name another runner must not be able to guess.
   */
  unguessable(): string;
}

export type LogAttributes = Readonly<Record<string, unknown>>;

/** Constant messages, data in attributes; never secrets, signatures or webhook bodies. */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds';

export interface Metrics {
  add(name: string, value: number, unit: MetricUnit, dimensions?: Readonly<Record<string, string>>): void;
}

/** Stored runner binaries (S3), compared by version metadata so unchanged ones are not copied. */
export interface BinaryStore {
  head(key: string): Promise<{ readonly version: string | null } | null>;
  put(key: string, body: Uint8Array, metadata: { readonly version: string }): Promise<void>;
}
