// @hangar/runtime-lambda: configuration, the composition root and the eight Lambda handlers.
export * from './config/environment';
export * from './config/pools-schema';
export {
  configure,
  githubWebUrl,
  loadConfiguration,
  parseEnvironment,
  type GitHubApp,
  type ParameterSource,
  type RuntimeConfiguration,
  type RuntimeEnvironment,
} from './config/load';
export * from './composition/index';
export * from './handlers/index';
export { Observability, type ObservabilitySettings } from './observability/observability';
