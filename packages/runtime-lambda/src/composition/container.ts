import { Container } from 'inversify';
import type { RuntimeConfiguration } from '../config/load';
import { bindBase } from './bindings/base';
import type { RuntimeOverrides } from './overrides';

/** A group of bindings beyond the base: compute, GitHub, binaries. */
export type Bindings = (container: Container) => void;

/**
 * The composition root: the only place that knows which adapter implements which port. Core
 * and the adapters never see inversify; everything is bound as a singleton of this container
 * (one per Lambda container, built at cold start). `features` lets each handler's bundle
 * include only the adapters it uses (the webhook carries no EC2 or ECS client); pass every
 * feature (`createContainer` in ./index.ts does) to build any handler.
 */
export function createContainerWith(
  config: RuntimeConfiguration,
  overrides: RuntimeOverrides,
  features: readonly Bindings[],
): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  bindBase(container, config, overrides);
  for (const bind of features) bind(container);
  return container;
}
