import { verifyAndParseWebhook } from '@hangar/adapter-github/webhook';
import { recordWorkflowJob, type WorkflowJobOutcome } from '@hangar/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { bindGitHubOnDemand } from '../composition/bindings/github-on-demand';
import { lambdaEntry } from '../composition/lambda-entry';
import type { WebhookRoot } from '../composition/roots';
import { invocation, isRetryable, type InvocationContext } from './invocation';
import { toWebhookRequest } from './webhook-event';

/**
 * GitHub waits 10 s for an answer and never retries; answer 503 before that so the failure is
 * recorded as a failed delivery, which the reconciler redelivers.
 */
export const WEBHOOK_DEADLINE_MS = 8000;

type Response = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: Readonly<Record<string, unknown>>): Response => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
  });
  // Past the deadline the work may still fail; that failure has been answered already.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function recorded(outcome: WorkflowJobOutcome): Response {
  switch (outcome.kind) {
    case 'recorded':
      return json(202, { status: 'recorded', enqueued: outcome.enqueued, duplicate: outcome.duplicate });
    case 'unroutable':
      return json(202, { status: 'unroutable', reason: outcome.reason });
    case 'ignored':
      return json(202, { status: 'ignored', reason: outcome.reason });
  }
}

/**
 * The webhook (API Gateway HTTP API v2 or a Lambda function URL: the same payload shape).
 * The signature is verified over the raw bytes before anything is parsed; only a verified
 * `workflow_job` reaches the event store. Bodies and signatures are never logged.
 */
export function createWebhookHandler(root: WebhookRoot) {
  const { deps } = root;
  return async (event: APIGatewayProxyEventV2, context?: InvocationContext): Promise<Response> => {
    const shape = toWebhookRequest(event);
    const deliveryId = shape.ok ? shape.deliveryId : undefined;
    return invocation(root, { requestId: context?.awsRequestId, deliveryId }, async () => {
      if (!shape.ok) {
        deps.logger.warn('Webhook rejected', { status: 400, reason: shape.reason });
        deps.metrics.add('WebhooksRejected', 1, 'Count');
        return json(400, { status: 'rejected', reason: shape.reason });
      }
      const verdict = verifyAndParseWebhook(shape.request, root.webhookSecrets);
      if (verdict.kind === 'rejected') {
        deps.logger.warn('Webhook rejected', { status: verdict.httpStatus, reason: verdict.reason });
        deps.metrics.add('WebhooksRejected', 1, 'Count');
        return json(verdict.httpStatus, { status: 'rejected', reason: verdict.reason });
      }
      if (verdict.kind === 'ignored') {
        deps.logger.debug('Webhook ignored', { event: verdict.event, reason: verdict.reason });
        return json(202, { status: 'ignored', reason: verdict.reason });
      }
      const { fact } = verdict;
      try {
        const outcome = await withDeadline(recordWorkflowJob(deps, fact), WEBHOOK_DEADLINE_MS);
        deps.logger.info('Workflow job recorded', {
          jobId: fact.jobId,
          action: fact.action,
          outcome: outcome.kind,
        });
        return recorded(outcome);
      } catch (error) {
        const retryable = error instanceof DeadlineExceeded || isRetryable(error);
        deps.logger.error('Workflow job could not be recorded', { jobId: fact.jobId, retryable, error });
        deps.metrics.add('WebhooksFailed', 1, 'Count');
        // GitHub does not retry; the reconciler redelivers failed deliveries (HANGAR_RECOVERY_MAX_GITHUB_CALLS).
        return retryable
          ? json(503, {
              status: 'unavailable',
              reason: 'a dependency is unavailable; the delivery will be redelivered',
            })
          : json(500, { status: 'failed', reason: 'the delivery could not be recorded' });
      }
    });
  };
}

/** Lambda entry: `index.handler` of the webhook bundle. */
export const handler = lambdaEntry('webhook', [bindGitHubOnDemand], createWebhookHandler);
