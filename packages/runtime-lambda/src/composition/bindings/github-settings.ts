// Kept apart from the GitHub adapter's classes: the webhook imports this without loading Octokit.
import type { GitHubClientSettings } from '@hangar/adapter-github';
import { DependencyError, toMillis, type Clock, type RunnerRegistry } from '@hangar/core';
import type { RuntimeConfiguration } from '../../config/load';
import type { RuntimeOverrides } from '../overrides';

/**
 * The registry of a function given no GitHub App (the webhook, when the operator did not give
 * it one): every call fails, not retryable, naming what to configure.
 */
export function registryWithoutApp(): RunnerRegistry {
  return refusingRegistry(
    'no GitHub App is configured for this function (set HANGAR_GITHUB_APPS_PARAMETER or HANGAR_GITHUB_APP_PARAMETERS)',
  );
}

/** A registry whose every call fails, not retryable, with `why`. */
export function refusingRegistry(why: string): RunnerRegistry {
  const fail = (operation: string) => (): Promise<never> =>
    Promise.reject(new DependencyError('github', operation, why, false));
  return {
    createJitConfig: fail('createJitConfig'),
    createRegistrationToken: fail('createRegistrationToken'),
    listRunners: fail('listRunners'),
    deleteRunner: fail('deleteRunner'),
    getJobStatus: fail('getJobStatus'),
    rerunJob: fail('rerunJob'),
  };
}

/** The App pool's settings from the configuration and the caller's overrides. */
export function appPoolSettings(
  config: RuntimeConfiguration,
  overrides: RuntimeOverrides,
  clock: Clock,
): GitHubClientSettings {
  return {
    apps: config.githubApps,
    baseUrl: overrides.githubBaseUrl ?? config.environment.githubApiUrl,
    tlsVerify: config.environment.githubTlsVerify,
    now: () => toMillis(clock.now()),
    ...(overrides.githubBounds === undefined ? {} : { bounds: overrides.githubBounds }),
    ...(overrides.beforeCall === undefined ? {} : { fetch: checkedFetch(overrides.beforeCall) }),
  };
}

/** `fetch` that asks `beforeCall` first (the local control plane's stopped-invocation check). */
function checkedFetch(beforeCall: (target: string) => void): typeof fetch {
  return (input, init) => {
    try {
      beforeCall('github');
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return fetch(input, init);
  };
}
