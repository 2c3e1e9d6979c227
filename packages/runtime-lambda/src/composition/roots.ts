import type { BinariesDeps, ReconcileDeps, RunnerPlatform, ScalerDeps } from '@hangar/core';
import type { Container } from 'inversify';
import type { RuntimeConfiguration } from '../config/load';
import type { HandlerName } from '../config/environment';
import type { Observability } from '../observability/observability';
import { TOKENS } from './tokens';

interface RootBase {
  readonly config: RuntimeConfiguration;
  readonly observability: Observability;
  /** Per-invocation extras after the metrics of an invocation (GitHub rate limit left). */
  readonly afterInvocation: () => void;
}

export interface WebhookRoot extends RootBase {
  readonly deps: ScalerDeps;
  readonly webhookSecrets: readonly string[];
}
export interface ScalerRoot extends RootBase {
  readonly deps: ScalerDeps;
  /**
   * Scale-up: hands the GitHub clients the installation id a `workflow_job` webhook named for
   * an account, so the process does not look it up (absent without a GitHub App).
   */
  readonly knowInstallation?: (owner: string, installationId: number) => void;
}
export interface ReconcilerRoot extends RootBase {
  readonly deps: ReconcileDeps;
}
export interface BinariesRoot extends RootBase {
  readonly deps: BinariesDeps;
  readonly includePrerelease: boolean;
  /** The runner builds to mirror; absent: all the release publishes. */
  readonly platforms?: readonly RunnerPlatform[];
}

/** What each handler is built from. */
export interface HandlerRoots {
  readonly webhook: WebhookRoot;
  readonly 'scale-up': ScalerRoot;
  readonly 'job-events': ScalerRoot;
  /** Scale-down reads GitHub's delivery log before deleting an idle runner: the reconciler's deps. */
  readonly 'scale-down': ReconcilerRoot;
  readonly pool: ScalerRoot;
  readonly reconciler: ReconcilerRoot;
  readonly 'instance-events': ScalerRoot;
  readonly 'binaries-syncer': BinariesRoot;
}

/** Reports each GitHub App's remaining rate limit, when the App pool was used and knows it. */
function rateLimitReporter(container: Container): () => void {
  return () => {
    const pool = container.get(TOKENS.appPool, { optional: true });
    const observability = container.get(TOKENS.observability);
    if (pool === undefined || container.get(TOKENS.configuration).githubApps.length === 0) return;
    for (const app of pool.rateLimitRemaining()) {
      if (app.remaining === null) continue;
      observability.metrics.add('GitHubRateLimitRemaining', app.remaining, 'Count', {
        appId: String(app.appId),
      });
    }
  };
}

/** The App pool's `knowInstallation`, when the function has a GitHub App. */
function installationHints(container: Container): Pick<ScalerRoot, 'knowInstallation'> {
  if (container.get(TOKENS.configuration).githubApps.length === 0) return {};
  const pool = container.get(TOKENS.appPool);
  return { knowInstallation: (owner, installationId) => pool.knowInstallation(owner, installationId) };
}

/**
 * Resolves what `name` needs from the container. Resolution builds objects only (SDK clients,
 * adapters); no network call happens until a handler runs.
 */
export function resolveHandlerRoot<N extends HandlerName>(container: Container, name: N): HandlerRoots[N] {
  const config = container.get(TOKENS.configuration);
  const base: RootBase = {
    config,
    observability: container.get(TOKENS.observability),
    afterInvocation: rateLimitReporter(container),
  };
  const roots: { readonly [K in HandlerName]: () => HandlerRoots[K] } = {
    webhook: () => ({
      ...base,
      deps: container.get(TOKENS.scalerDeps),
      webhookSecrets: config.webhookSecrets,
    }),
    'scale-up': () => ({
      ...base,
      deps: container.get(TOKENS.scalerDeps),
      ...installationHints(container),
    }),
    'job-events': () => ({ ...base, deps: container.get(TOKENS.scalerDeps) }),
    'scale-down': () => ({ ...base, deps: container.get(TOKENS.reconcileDeps) }),
    pool: () => ({ ...base, deps: container.get(TOKENS.scalerDeps) }),
    reconciler: () => ({ ...base, deps: container.get(TOKENS.reconcileDeps) }),
    'instance-events': () => ({ ...base, deps: container.get(TOKENS.scalerDeps) }),
    'binaries-syncer': () => ({
      ...base,
      deps: container.get(TOKENS.binariesDeps),
      includePrerelease: config.environment.binariesPrerelease,
      ...(config.environment.binariesPlatforms === undefined
        ? {}
        : { platforms: config.environment.binariesPlatforms }),
    }),
  };
  return roots[name]();
}
