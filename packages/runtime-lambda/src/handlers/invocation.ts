import type { HangarError } from '@hangar/core';
import type { InvocationKeys } from '../observability/observability';
import type { HandlerRoots } from '../composition/roots';

type AnyRoot = HandlerRoots[keyof HandlerRoots];

/** The part of the Lambda context the handlers read (the tests and the local control plane pass none). */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

/**
 * Runs one invocation with its keys on every log line, then flushes its metrics (EMF) and
 * the GitHub rate limit left, whatever the outcome.
 */
export async function invocation<T>(root: AnyRoot, keys: InvocationKeys, run: () => Promise<T>): Promise<T> {
  root.observability.startInvocation(keys);
  try {
    return await run();
  } finally {
    root.afterInvocation();
    root.observability.endInvocation();
  }
}

/** Whether trying again can help: Hangar's errors say so; anything else (a bug) cannot. */
export function isRetryable(error: unknown): boolean {
  return typeof (error as Partial<HangarError> | null)?.retryable === 'boolean'
    ? (error as HangarError).retryable
    : false;
}
