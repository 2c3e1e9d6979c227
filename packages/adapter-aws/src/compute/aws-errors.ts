import type { LaunchFailureReason, LaunchResult } from '@hangar/core';
import { ConfigurationError, DependencyError, HangarError } from '@hangar/core';

/** What an SDK (or network) exception says, read without depending on SDK error classes. */
export interface AwsErrorInfo {
  /** The AWS error code (`InsufficientInstanceCapacity`, `ThrottlingException`) or a network code. */
  readonly code: string;
  readonly message: string;
  /** HTTP status when the service answered; undefined for network failures. */
  readonly httpStatus: number | undefined;
}

export function awsErrorInfo(error: unknown): AwsErrorInfo {
  if (typeof error !== 'object' || error === null)
    return { code: 'Unknown', message: String(error), httpStatus: undefined };
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = e.$metadata?.httpStatusCode;
  const code =
    typeof e.code === 'string' && status === undefined
      ? e.code
      : typeof e.name === 'string'
        ? e.name
        : 'Unknown';
  return {
    code,
    message: typeof e.message === 'string' ? e.message : String(error),
    httpStatus: typeof status === 'number' ? status : undefined,
  };
}

/** A launch failure's class: why it failed and whether the same launch may succeed later. */
export interface FailureClass {
  readonly reason: LaunchFailureReason;
  readonly retryable: boolean;
}

const CLASSES: readonly { readonly test: (code: string) => boolean; readonly cls: FailureClass }[] = [
  {
    test: (c) =>
      [
        'InsufficientInstanceCapacity',
        'InsufficientCapacity',
        'InsufficientHostCapacity',
        'InsufficientFreeAddressesInSubnet',
        'UnfulfillableCapacity',
        'SpotMaxPriceTooLow',
      ].includes(c),
    cls: { reason: 'insufficient-capacity', retryable: true },
  },
  {
    test: (c) =>
      ['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException'].includes(c),
    cls: { reason: 'throttled', retryable: true },
  },
  {
    test: (c) =>
      [
        'InstanceLimitExceeded',
        'VcpuLimitExceeded',
        'MaxSpotInstanceCountExceeded',
        'LimitExceededException',
        'ResourceLimitExceeded',
      ].includes(c),
    cls: { reason: 'quota-exceeded', retryable: true },
  },
  {
    test: (c) =>
      /^(InvalidLaunchTemplate|InvalidParameter|InvalidAMIID|InvalidSubnetID|InvalidGroup|InvalidKeyPair|InvalidInstanceType|Unsupported|Missing)/.test(
        c,
      ) ||
      [
        'UnauthorizedOperation',
        'AuthFailure',
        'OptInRequired',
        'IdempotentParameterMismatch',
        // CreateFleet's whole-call refusal, e.g. "duplicate instance pools" (two subnets of one zone).
        'InvalidFleetConfig',
        'InvalidFleetConfiguration',
        // More than 50 tags on a resource: the pool's extraTags plus Hangar's four.
        'TagLimitExceeded',
        'ClientException',
        'InvalidParameterException',
        'ClusterNotFoundException',
        'AccessDeniedException',
        'PlatformUnknownException',
        'PlatformTaskDefinitionIncompatibilityException',
        'UnsupportedFeatureException',
        'BlockedException',
      ].includes(c),
    cls: { reason: 'invalid-configuration', retryable: false },
  },
  {
    test: (c) =>
      ['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable', 'ServerException'].includes(
        c,
      ) || /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|TimeoutError|RequestTimeout)/.test(c),
    cls: { reason: 'dependency-unavailable', retryable: true },
  },
];

/**
 * Classifies an AWS error code (EC2 or ECS). Unknown codes are `unknown`: retryable unless
 * the service said the request itself was wrong (a 4xx), since a bounded retry is cheap and
 * the runner decider caps launch attempts.
 */
export function classifyCode(code: string, httpStatus?: number): FailureClass {
  const known = CLASSES.find((c) => c.test(code));
  if (known) return known.cls;
  if (httpStatus === undefined || httpStatus >= 500)
    return { reason: 'dependency-unavailable', retryable: true };
  return { reason: 'unknown', retryable: httpStatus === 429 };
}

/** The failed LaunchResult for an exception thrown while launching (never rethrown). */
export function launchFailureFromError(error: unknown, operation: string) {
  if (error instanceof ConfigurationError) {
    return failed({ reason: 'invalid-configuration', retryable: false }, [], error.message);
  }
  if (error instanceof HangarError) {
    return failed({ reason: 'dependency-unavailable', retryable: error.retryable }, [], error.message);
  }
  const info = awsErrorInfo(error);
  return failed(
    classifyCode(info.code, info.httpStatus),
    [info.code],
    `${operation} failed: ${info.code}: ${info.message}`,
  );
}

/** Codes that say the idempotency key was used before: a machine may exist for it. */
const KEY_ALREADY_USED = ['IdempotentParameterMismatch'];

/**
 * The result of a launch call that threw. A refusal the service makes before acting on the
 * request (configuration, permissions) is a definite `failed`: nothing started. Anything else —
 * throttled, 5xx, timeout, connection dropped — may follow an earlier call with the same key
 * that was accepted and whose answer was lost, so the outcome is `unknown` (see core's
 * launch-step.ts), never a failure.
 */
export function launchCallFailure(error: unknown, operation: string): LaunchResult {
  const result = launchFailureFromError(error, operation);
  const definite = !result.retryable && !result.errorCodes.some((code) => KEY_ALREADY_USED.includes(code));
  if (definite) return result;
  return { outcome: 'unknown', reason: result.reason, errorCodes: result.errorCodes, detail: result.detail };
}

/** An answer that is neither a machine nor a failure: nobody can tell what happened. */
export function unknownOutcome(detail: string): LaunchResult {
  return { outcome: 'unknown', reason: 'unknown', errorCodes: [], detail };
}

export function failed(cls: FailureClass, errorCodes: readonly string[], detail: string) {
  return { outcome: 'failed', ...cls, errorCodes, detail: detail.slice(0, 2000) } as const;
}

/** The DependencyError an SDK exception becomes outside `launch` (terminate, list). */
export function dependencyError(dependency: string, operation: string, error: unknown): DependencyError {
  const info = awsErrorInfo(error);
  const { retryable } = classifyCode(info.code, info.httpStatus);
  const verdict = retryable ? 'retry later' : 'do not retry until the configuration or permissions are fixed';
  return new DependencyError(dependency, operation, `${info.code}: ${info.message} (${verdict})`, retryable, {
    cause: error,
  });
}
