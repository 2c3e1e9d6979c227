import { SsmParameterReader } from '@hangar/adapter-aws';
import type { HandlerName } from '../config/environment';
import { loadConfiguration, parseEnvironment, processEnvironment } from '../config/load';
import { ssmClient } from './aws-clients';
import { createContainerWith, type Bindings } from './container';
import type { RuntimeOverrides } from './overrides';
import { resolveHandlerRoot, type HandlerRoots } from './roots';
import type { AsyncHandler, Tracing } from '../observability/tracing';

/** Loads the tracer module; absent for a bundle that must not carry it (the webhook). */
export type TracingLoader = () => Promise<{ readonly Tracing: typeof Tracing }>;

/**
 * Builds one handler from an environment: variables parsed, SSM parameters read, container
 * composed, root resolved. The Lambda entry does this once per container; the local control
 * plane and the tests call it with their overrides (emulator endpoints, fake GitHub, clock).
 */
export async function buildHandler<N extends HandlerName, F extends AsyncHandler>(
  name: N,
  env: Readonly<Record<string, string | undefined>>,
  overrides: RuntimeOverrides,
  features: readonly Bindings[],
  create: (root: HandlerRoots[N]) => F,
  loadTracing?: TracingLoader,
): Promise<F> {
  const environment = parseEnvironment(env, name);
  // The tracer (and the X-Ray SDK under it) is evaluated only when tracing is on: esbuild
  // defers a dynamically imported module's initialisation until the import runs. A function
  // built without a loader (the webhook) is traced by Lambda alone: its invocation segment,
  // without SDK subsegments.
  const tracing =
    environment.tracingEnabled && loadTracing
      ? new (await loadTracing()).Tracing(environment.serviceName)
      : undefined;
  const composed: RuntimeOverrides = tracing
    ? { ...overrides, instrumentClient: tracing.instrument }
    : overrides;
  const parameters = new SsmParameterReader({ client: ssmClient(composed) });
  const config = await loadConfiguration(environment, parameters);
  const handler = create(resolveHandlerRoot(createContainerWith(config, composed, features), name));
  return tracing ? tracing.wrap(name, handler) : handler;
}

/**
 * The exported `handler` of a bundle. The configuration is read at the first invocation and
 * kept for the container's life (cold start); if that fails (SSM throttled, a parameter
 * missing) the invocation fails and the next one tries again, rather than the container
 * staying broken.
 */
export function lambdaEntry<N extends HandlerName, E, C, R>(
  name: N,
  features: readonly Bindings[],
  create: (root: HandlerRoots[N]) => (event: E, context?: C) => Promise<R>,
  loadTracing?: TracingLoader,
): (event: E, context?: C) => Promise<R> {
  let built: Promise<(event: E, context?: C) => Promise<R>> | undefined;
  return async (event, context) => {
    built ??= buildHandler(name, processEnvironment(), {}, features, create, loadTracing).catch(
      (error: unknown) => {
        built = undefined;
        throw error;
      },
    );
    const run = await built;
    return run(event, context);
  };
}
