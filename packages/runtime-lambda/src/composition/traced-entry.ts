import type { HandlerName } from '../config/environment';
import type { Bindings } from './container';
import { lambdaEntry } from './lambda-entry';
import type { HandlerRoots } from './roots';

/**
 * The exported `handler` of a control-plane bundle: `lambdaEntry` with the Powertools tracer
 * behind a dynamic import (its own chunk, evaluated only with POWERTOOLS_TRACE_ENABLED). The
 * webhook uses `lambdaEntry` without it: the tracer and the X-Ray SDK (~40 KiB zipped) would
 * put its zip over the 200 KB budget (docs/runtime.md).
 */
export function tracedLambdaEntry<N extends HandlerName, E, C, R>(
  name: N,
  features: readonly Bindings[],
  create: (root: HandlerRoots[N]) => (event: E, context?: C) => Promise<R>,
): (event: E, context?: C) => Promise<R> {
  return lambdaEntry(name, features, create, () => import('../observability/tracing'));
}
