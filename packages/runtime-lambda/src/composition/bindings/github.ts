import { AppPool, GitHubRunnerRegistry, GitHubWebhookRecovery } from '@hangar/adapter-github';
import { DependencyError, toMillis, type RunnerRegistry } from '@hangar/core';
import type { Container } from 'inversify';
import { TOKENS } from '../tokens';

/**
 * The registry of a function given no GitHub App (the webhook, when the operator did not give
 * it one): every call fails, not retryable, naming what to configure.
 */
function registryWithoutApp(): RunnerRegistry {
  const fail = (operation: string) => (): Promise<never> =>
    Promise.reject(
      new DependencyError(
        'github',
        operation,
        'no GitHub App is configured for this function (set HANGAR_GITHUB_APPS_PARAMETER)',
        false,
      ),
    );
  return {
    createJitConfig: fail('createJitConfig'),
    createRegistrationToken: fail('createRegistrationToken'),
    listRunners: fail('listRunners'),
    deleteRunner: fail('deleteRunner'),
    getJobStatus: fail('getJobStatus'),
    rerunJob: fail('rerunJob'),
  };
}

/** GitHub App clients (one pool shared by the registry and the webhook recovery). */
export function bindGitHub(container: Container): void {
  container
    .bind(TOKENS.appPool)
    .toDynamicValue((ctx) => {
      const config = ctx.get(TOKENS.configuration);
      const overrides = ctx.get(TOKENS.overrides);
      const clock = ctx.get(TOKENS.clock);
      return new AppPool({
        apps: config.githubApps,
        baseUrl: overrides.githubBaseUrl ?? config.environment.githubApiUrl,
        tlsVerify: config.environment.githubTlsVerify,
        now: () => toMillis(clock.now()),
        ...(overrides.githubBounds === undefined ? {} : { bounds: overrides.githubBounds }),
      });
    })
    .inSingletonScope();
  container
    .bind(TOKENS.registry)
    .toDynamicValue((ctx) =>
      ctx.get(TOKENS.configuration).githubApps.length === 0
        ? registryWithoutApp()
        : new GitHubRunnerRegistry(ctx.get(TOKENS.appPool)),
    )
    .inSingletonScope();
  container
    .bind(TOKENS.recovery)
    .toDynamicValue((ctx) => new GitHubWebhookRecovery(ctx.get(TOKENS.appPool)))
    .inSingletonScope();
  container
    .bind(TOKENS.reconcileDeps)
    .toDynamicValue((ctx) => ({ ...ctx.get(TOKENS.scalerDeps), recovery: ctx.get(TOKENS.recovery) }))
    .inSingletonScope();
}
