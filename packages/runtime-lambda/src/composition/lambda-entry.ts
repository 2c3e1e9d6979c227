import { SsmParameterReader } from '@hangar/adapter-aws';
import type { HandlerName } from '../config/environment';
import { configure, processEnvironment } from '../config/load';
import { ssmClient } from './aws-clients';
import { createContainerWith, type Bindings } from './container';
import type { RuntimeOverrides } from './overrides';
import { resolveHandlerRoot, type HandlerRoots } from './roots';

/**
 * Builds one handler from an environment: variables parsed, SSM parameters read, container
 * composed, root resolved. The Lambda entry does this once per container; the local control
 * plane and the tests call it with their overrides (emulator endpoints, fake GitHub, clock).
 */
export async function buildHandler<N extends HandlerName, F>(
  name: N,
  env: Readonly<Record<string, string | undefined>>,
  overrides: RuntimeOverrides,
  features: readonly Bindings[],
  create: (root: HandlerRoots[N]) => F,
): Promise<F> {
  const parameters = new SsmParameterReader({ client: ssmClient(overrides) });
  const config = await configure(env, name, parameters);
  return create(resolveHandlerRoot(createContainerWith(config, overrides, features), name));
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
): (event: E, context?: C) => Promise<R> {
  let built: Promise<(event: E, context?: C) => Promise<R>> | undefined;
  return async (event, context) => {
    built ??= buildHandler(name, processEnvironment(), {}, features, create).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    const run = await built;
    return run(event, context);
  };
}
