import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { InvocationGate } from './invocation-gate';

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

export interface WebhookBridge {
  /** Where the fake GitHub delivers (`http://127.0.0.1:PORT/webhook`). */
  readonly url: string;
  /** Answers by HTTP status. */
  answers(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** API Gateway HTTP API (payload 2.0) event for one request, as AWS builds it. */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer, now: Date): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = new URL(req.url ?? '/', 'http://local');
  const method = req.method ?? 'POST';
  const text = body.toString('utf8');
  // API Gateway base64-encodes bodies that are not valid UTF-8 text; GitHub sends JSON.
  const binary = Buffer.from(text, 'utf8').equals(body) === false;
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'local.execute-api.localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: binary ? body.toString('base64') : text,
    isBase64Encoded: binary,
  };
}

/**
 * The local stand-in for API Gateway: a loopback HTTP server that turns each request into a
 * payload-2.0 event for the webhook handler and its result back into an HTTP answer.
 */
export async function startWebhookBridge(
  handler: WebhookHandler,
  now: () => Date,
  /** Stops an invocation at the webhook Lambda's timeout (real ms; the module's is 10 s). */
  invocations: { readonly gate: InvocationGate; readonly timeoutMs: number } = {
    gate: new InvocationGate(),
    timeoutMs: 10_000,
  },
): Promise<WebhookBridge> {
  const answers = new Map<string, number>();
  const server = createServer((req, res) => {
    const respond = async () => {
      const body = await readBody(req);
      let result: APIGatewayProxyResultV2;
      try {
        const event = toApiGatewayEvent(req, body, now());
        result = await invocations.gate.run('webhook', invocations.timeoutMs, () => handler(event));
      } catch {
        // An unhandled error (or a timeout) in a Lambda behind API Gateway is a 500 "Internal Server Error".
        result = { statusCode: 500, body: '{"message":"Internal Server Error"}' };
      }
      const structured = typeof result === 'string' ? { statusCode: 200, body: result } : result;
      const status = structured.statusCode ?? 200;
      answers.set(String(status), (answers.get(String(status)) ?? 0) + 1);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
      res.writeHead(status, headers);
      res.end(structured.body ?? '');
    };
    respond().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    answers: () => Object.fromEntries(answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
