import { bindGitHubOnDemand } from '../composition/bindings/github-on-demand';
import { buildHandler } from '../composition/lambda-entry';
import { createWebhookHandler } from '../handlers/webhook';
import type { LocalInfrastructure } from './infrastructure';
import { localOverrides } from './runtime-handlers';
import type { SimulatedClock } from './sim-clock';

/**
 * The webhook function composed exactly as its bundle's `lambdaEntry` composes it (configuration
 * from the environment and SSM, only the on-demand GitHub bindings), pointed at the local
 * infrastructure. The fuzzer drives this one; the control plane builds all eight.
 */
export function localWebhookFunction(
  infrastructure: LocalInfrastructure,
  clock: SimulatedClock,
  environment: Readonly<Record<string, string>>,
) {
  return buildHandler(
    'webhook',
    environment,
    localOverrides(infrastructure, clock),
    [bindGitHubOnDemand],
    createWebhookHandler,
  );
}
