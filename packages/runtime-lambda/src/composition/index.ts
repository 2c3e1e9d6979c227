import type { Container } from 'inversify';
import type { RuntimeConfiguration } from '../config/load';
import { bindBinaries } from './bindings/binaries';
import { bindCompute } from './bindings/compute';
import { bindGitHub } from './bindings/github';
import { createContainerWith, type Bindings } from './container';
import type { RuntimeOverrides } from './overrides';

export { createContainerWith, type Bindings } from './container';
export { buildHandler, lambdaEntry } from './lambda-entry';
export type { AwsClients, AwsService, RuntimeOverrides } from './overrides';
export {
  resolveHandlerRoot,
  type BinariesRoot,
  type HandlerRoots,
  type ReconcilerRoot,
  type ScalerRoot,
  type WebhookRoot,
} from './roots';
export { TOKENS } from './tokens';
export { bindBinaries, bindCompute, bindGitHub };

/** Every feature: a container that can build any of the eight handlers. */
export const ALL_FEATURES: readonly Bindings[] = [bindCompute, bindGitHub, bindBinaries];

/** The composition root with every adapter bound (the local control plane, the smoke test). */
export function createContainer(config: RuntimeConfiguration, overrides: RuntimeOverrides = {}): Container {
  return createContainerWith(config, overrides, ALL_FEATURES);
}
