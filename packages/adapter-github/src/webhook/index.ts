// The webhook intake alone (`@hangar/adapter-github/webhook`): the webhook bundle imports this
// rather than the package's index, so its startup code holds no Octokit or Bottleneck.
export {
  DEFAULT_WEBHOOK_LIMITS,
  verifyAndParseWebhook,
  type WebhookLimits,
  type WebhookOutcome,
  type WebhookRequest,
} from './intake';
