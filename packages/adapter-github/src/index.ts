export {
  AppPool,
  createGitHubClients,
  type AppRateLimit,
  type GitHubClientSettings,
  type InstallationTarget,
} from './auth/app-pool';
export { DEFAULT_BOUNDS, type CallBounds } from './auth/call-bounds';
export { REFRESH_MARGIN_MS } from './auth/token-cache';
export { GitHubRunnerRegistry } from './runner-registry';
export { GitHubJobRerun } from './rerun-client';
export { GitHubWebhookRecovery } from './webhook-recovery';
export { GitHubRunnerReleases, parseRunnerAssets, type RunnerReleaseSettings } from './runner-releases';
export {
  DEFAULT_WEBHOOK_LIMITS,
  verifyAndParseWebhook,
  type WebhookLimits,
  type WebhookOutcome,
  type WebhookRequest,
} from './webhook/intake';
export { toCoreError } from './errors';
