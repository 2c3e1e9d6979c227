import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an emulator's request handler answers. */
export interface EmulatorReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A loopback HTTP server that hands every request body to `handle`. */
export interface LoopbackServer {
  readonly endpoint: string;
  close(): Promise<void>;
  /** Exceptions thrown by `handle` (bugs in the emulator), answered with HTTP 500. */
  readonly internalErrors: unknown[];
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Starts `node:http` on 127.0.0.1 with a free port. `handle` runs synchronously once the
 * body is read, so requests are applied one at a time in arrival order — the property the
 * idempotency specs rely on (20 parallel calls with one token create one resource).
 */
export async function startLoopbackServer(
  handle: (request: { headers: IncomingMessage['headers']; body: string }) => EmulatorReply,
): Promise<LoopbackServer> {
  const internalErrors: unknown[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        if (body === undefined)
          return send(res, { status: 413, contentType: 'text/plain', body: 'too large' });
        let reply: EmulatorReply;
        try {
          reply = handle({ headers: req.headers, body });
        } catch (error) {
          internalErrors.push(error);
          reply = { status: 500, contentType: 'text/plain', body: 'emulator bug' };
        }
        send(res, reply);
      })
      .catch((error: unknown) => {
        internalErrors.push(error);
        if (!res.headersSent) send(res, { status: 500, contentType: 'text/plain', body: 'emulator bug' });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    internalErrors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, reply: EmulatorReply): void {
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'x-amzn-requestid': newRequestId(),
  });
  res.end(reply.body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An AWS-style request id. */
export const newRequestId = (): string => randomUUID();
