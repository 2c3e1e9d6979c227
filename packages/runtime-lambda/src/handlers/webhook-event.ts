import type { WebhookRequest } from '@hangar/adapter-github';

/** The webhook request in the intake's terms, or why the Lambda event cannot be one. */
export type EventShape =
  | { readonly ok: true; readonly request: WebhookRequest; readonly deliveryId: string | undefined }
  | { readonly ok: false; readonly reason: string };

const malformed = (problem: string): EventShape => ({ ok: false, reason: `malformed event: ${problem}` });

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of an API Gateway v2 / function URL event before anything reads it. AWS
 * always hands over string headers (lower-cased, repeats joined by commas), a string or absent
 * body and a boolean base64 flag; anything else comes from a caller that is not API Gateway
 * (a direct invoke, a test, a misconfigured integration) and is answered 400 rather than
 * thrown on. A header given twice in different case is refused: which value GitHub signed
 * would be a guess.
 */
export function toWebhookRequest(event: unknown): EventShape {
  if (!isRecord(event)) return malformed('the event is not an object');
  const rawHeaders = event.headers ?? {};
  if (!isRecord(rawHeaders)) return malformed('headers is not an object');
  const headers: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value === undefined) continue;
    if (typeof value !== 'string') return malformed(`header ${name.toLowerCase()} is not a string`);
    const lower = name.toLowerCase();
    seen.set(lower, (seen.get(lower) ?? 0) + 1);
    headers[lower] = value;
  }
  for (const [name, count] of seen) if (count > 1) return malformed(`header ${name} is given ${count} times`);
  const body = event.body ?? '';
  if (typeof body !== 'string') return malformed('body is not a string');
  const base64 = event.isBase64Encoded ?? false;
  if (typeof base64 !== 'boolean') return malformed('isBase64Encoded is not a boolean');
  return {
    ok: true,
    request: { headers, body, isBase64Encoded: base64 },
    deliveryId: headers['x-github-delivery'],
  };
}
