import { createGitHubClients, GitHubRunnerRegistry, GitHubWebhookRecovery } from '@hangar/adapter-github';
import type { Container } from 'inversify';
import { appPoolSettings, registryWithoutApp } from './github-settings';
import { TOKENS } from '../tokens';

/** GitHub App clients (one pool shared by the registry and the webhook recovery). */
export function bindGitHub(container: Container): void {
  container
    .bind(TOKENS.appPool)
    .toDynamicValue((ctx) =>
      createGitHubClients(
        appPoolSettings(ctx.get(TOKENS.configuration), ctx.get(TOKENS.overrides), ctx.get(TOKENS.clock)),
      ),
    )
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
    .toDynamicValue((ctx) => ({
      ...ctx.get(TOKENS.scalerDeps),
      recovery: ctx.get(TOKENS.recovery),
      // Batched key lookups of events for the waiting metrics (consistent reads: never lagged).
      history: ctx.get(TOKENS.eventStore),
    }))
    .inSingletonScope();
}
