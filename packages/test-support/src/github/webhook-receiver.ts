import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatures } from './webhook-sender';

/** One webhook request as a receiver saw it. */
export interface ReceivedWebhook {
  readonly event: string;
  readonly guid: string;
  readonly signatureValid: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
  readonly payload: unknown;
}

/** A minimal webhook endpoint on 127.0.0.1 for tests; answers `status()` (default 200). */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Changes the status code answered from now on (e.g. 500 to make deliveries fail). */
  respondWith(status: number): void;
  close(): Promise<void>;
}

/** Starts a receiver that checks `X-Hub-Signature-256` over the raw body with `secret`. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(signatures(secret, rawBody).sha256);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      received.push({
        event: String(req.headers['x-github-event'] ?? ''),
        guid: String(req.headers['x-github-delivery'] ?? ''),
        signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
        headers: req.headers,
        rawBody,
        payload: parse(rawBody),
      });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'failed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    respondWith: (s) => {
      status = s;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
