import { createHmac } from 'node:crypto';
import { request } from 'node:http';

/** The result of one POST to a webhook endpoint. */
export interface SendResult {
  readonly statusCode: number;
  readonly status: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const MAX_RESPONSE_CHARS = 2000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Throws unless the URL points at loopback: tests never send webhooks off the machine. */
export function assertLoopbackUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || !LOOPBACK.has(parsed.hostname)) {
    throw new Error(`Webhook URL must be http on loopback, got ${url}`);
  }
}

/** `sha256=<hex>` (and the legacy `sha1=<hex>`) HMAC of the raw body, as GitHub signs deliveries. */
export function signatures(secret: string, body: string): { sha256: string; sha1: string } {
  return {
    sha256: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    sha1: `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
  };
}

/** The headers GitHub sends with a delivery. */
export function deliveryHeaders(
  o: { readonly event: string; readonly guid: string; readonly appId: number },
  secret: string,
  body: string,
): Record<string, string> {
  const signed = signatures(secret, body);
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/fake',
    'x-github-event': o.event,
    'x-github-delivery': o.guid,
    'x-github-hook-id': String(o.appId * 10),
    'x-github-hook-installation-target-type': 'integration',
    'x-github-hook-installation-target-id': String(o.appId),
    'x-hub-signature': signed.sha1,
    'x-hub-signature-256': signed.sha256,
  };
}

/**
 * POSTs one delivery. GitHub waits 10 s for an answer and never retries: a timeout, a refused
 * connection or a non-2xx answer is a failed delivery (status code 0 when there was no answer).
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const done = (result: Omit<SendResult, 'durationMs'>): void =>
      resolve({ ...result, durationMs: Date.now() - started });
    const req = request(url, { method: 'POST', headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => done(noAnswer('Connection reset')));
      res.on('end', () => {
        const statusCode = res.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        done({
          statusCode,
          ok,
          status: ok ? 'OK' : `Invalid HTTP Response: ${statusCode}`,
          headers: flatHeaders(res.headers),
          body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_CHARS),
        });
      });
    });
    req.on('timeout', () => {
      req.destroy();
      done(noAnswer('timed out'));
    });
    req.on('error', () => done(noAnswer('failed to connect to host')));
    req.end(body);
  });
}

function noAnswer(status: string): Omit<SendResult, 'durationMs'> {
  return { statusCode: 0, ok: false, status, headers: {}, body: '' };
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
