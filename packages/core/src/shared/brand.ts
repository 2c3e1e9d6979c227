declare const brand: unique symbol;

/** A string that the type system keeps apart from other strings (ids never mix). */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** GitHub's numeric workflow job id, as a decimal string (ids exceed 2^31). */
export type JobId = Brand<string, 'JobId'>;
/** Hangar's id for one runner (and the GitHub runner name suffix). */
export type RunnerId = Brand<string, 'RunnerId'>;
/** A runner configuration ("pool"): one set of labels, limits and compute settings. */
export type PoolId = Brand<string, 'PoolId'>;
/** The cloud id of a runner's machine: an EC2 instance id or an ECS task ARN. */
export type InstanceId = Brand<string, 'InstanceId'>;
/** An ISO-8601 UTC timestamp string. */
export type IsoTime = string;

export const JobId = (value: string | number): JobId => String(value) as JobId;
export const RunnerId = (value: string): RunnerId => value as RunnerId;
export const PoolId = (value: string): PoolId => value as PoolId;
export const InstanceId = (value: string): InstanceId => value as InstanceId;

/** Milliseconds since the epoch of an ISO time; NaN never escapes (invalid input throws). */
export function toMillis(at: IsoTime): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 time: ${at}`);
  return ms;
}

/** The ISO time `ms` milliseconds after the epoch. */
export function toIso(ms: number): IsoTime {
  return new Date(ms).toISOString();
}

/** Whole minutes from `from` to `to` (may be negative). */
export function minutesBetween(from: IsoTime, to: IsoTime): number {
  return (toMillis(to) - toMillis(from)) / 60_000;
}
