import type { WorkflowJobFact } from '@hangar/core';
import { signatureMatches } from './signature';
import { isWorkflowJobAction, toWorkflowJobFact } from './workflow-job-payload';

/** One HTTP request as API Gateway / a Lambda function URL hands it over. */
export interface WebhookRequest {
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export interface WebhookLimits {
  /** Largest accepted body in bytes (after base64 decoding). */
  readonly maxBodyBytes: number;
}

/**
 * Default 1 MiB. GitHub caps deliveries at 25 MB, but a `workflow_job` payload is a few KB
 * (labels, steps, repository, sender); anything near the cap is not a job event worth an HMAC,
 * and API Gateway / Lambda cap request bodies at 10 MB / 6 MB anyway.
 */
export const DEFAULT_WEBHOOK_LIMITS: WebhookLimits = { maxBodyBytes: 1024 * 1024 };

/** What the webhook handler should do with a delivery. */
export type WebhookOutcome =
  | { readonly kind: 'accepted'; readonly fact: WorkflowJobFact }
  | { readonly kind: 'ignored'; readonly reason: string; readonly event: string }
  | { readonly kind: 'rejected'; readonly httpStatus: RejectionStatus; readonly reason: string };

/** 422: signed and well formed, but beyond what Hangar stores for a job (`STORED_BOUNDS`). */
type RejectionStatus = 400 | 401 | 413 | 415 | 422;

/** GitHub's delivery ids are UUIDs; SQS takes at most 128 characters as a deduplication id. */
const MAX_DELIVERY_ID_LENGTH = 128;

const reject = (httpStatus: RejectionStatus, reason: string): WebhookOutcome => ({
  kind: 'rejected',
  httpStatus,
  reason,
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

function lowerCaseHeaders(headers: WebhookRequest['headers']): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out.set(name.toLowerCase(), value);
  }
  return out;
}

/** Base64 grows 4/3; anything longer than this cannot decode to an accepted body. */
const encodedLimit = (limits: WebhookLimits, base64: boolean): number =>
  base64 ? Math.ceil(limits.maxBodyBytes / 3) * 4 + 4 : limits.maxBodyBytes * 4;

/**
 * Verifies a GitHub webhook delivery and turns a `workflow_job` event into a fact.
 *
 * Order matters: size first (no HMAC over huge bodies), then the signature over the exact raw
 * bytes (base64-decoded when API Gateway encoded them), and only then is anything parsed.
 * Every outcome is a value; nothing here throws for bad input.
 */
export function verifyAndParseWebhook(
  request: WebhookRequest,
  secrets: readonly string[],
  limits: WebhookLimits = DEFAULT_WEBHOOK_LIMITS,
): WebhookOutcome {
  const headers = lowerCaseHeaders(request.headers);
  if (request.body.length > encodedLimit(limits, request.isBase64Encoded)) {
    return reject(413, `body exceeds ${limits.maxBodyBytes} bytes`);
  }
  const raw = request.isBase64Encoded
    ? Buffer.from(request.body, 'base64')
    : Buffer.from(request.body, 'utf8');
  if (raw.length > limits.maxBodyBytes) return reject(413, `body exceeds ${limits.maxBodyBytes} bytes`);

  const signature = headers.get('x-hub-signature-256');
  if (signature === undefined || signature === '') return reject(401, 'missing X-Hub-Signature-256 header');
  if (secrets.length === 0) return reject(401, 'no webhook secret configured');
  if (!signatureMatches(raw, signature, secrets)) return reject(401, 'X-Hub-Signature-256 does not match');

  const contentType = headers.get('content-type');
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
    return reject(415, `content type ${contentType} is not application/json`);
  }
  const event = headers.get('x-github-event');
  if (!event) return reject(400, 'missing X-GitHub-Event header');
  const deliveryId = headers.get('x-github-delivery');
  if (!deliveryId) return reject(400, 'missing X-GitHub-Delivery header');
  if (deliveryId.length > MAX_DELIVERY_ID_LENGTH)
    return reject(400, `X-GitHub-Delivery is longer than ${MAX_DELIVERY_ID_LENGTH} characters`);

  const body = parseJson(raw);
  if (body === undefined) return reject(400, 'body is not a JSON object');
  if (event === 'ping') return { kind: 'ignored', reason: 'ping', event };
  if (event !== 'workflow_job') return { kind: 'ignored', reason: `event ${event} is not handled`, event };

  const action = body.action;
  if (typeof action !== 'string') return reject(400, 'action: must be a string');
  if (!isWorkflowJobAction(action)) {
    return { kind: 'ignored', reason: `workflow_job action ${action} is not handled`, event };
  }
  const fact = toWorkflowJobFact(body, action, deliveryId);
  return fact.ok
    ? { kind: 'accepted', fact: fact.value }
    : reject(fact.error.tooLarge ? 422 : 400, `${fact.error.path}: ${fact.error.problem}`);
}

function parseJson(raw: Buffer): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
